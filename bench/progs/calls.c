/* bpf-to-bpf call chains: four levels of functions that are not inlined. */
#include "bench_prog.h"

#if defined(__bpf__)
#define SUBPROG static NOINLINE __attribute__((section("nyuki")))
#else
#define SUBPROG static NOINLINE
#endif

SUBPROG u64 mix3(u64 x) { return (x ^ (x >> 7)) * 0x9e3779b97f4a7c15ull; }
SUBPROG u64 mix2(u64 x, u64 y) { return mix3(x + y) ^ y; }
SUBPROG u64 mix1(u64 x, u64 i) { return mix2(x, i) + mix3(i); }

BENCH(calls)
{
	u64 acc;
	CHECK(data, 8, 0);
	acc = *(const u64 *)data;
	for (u64 i = 0; i < 200; i++)
		acc = mix1(acc, i);
	return acc;
}
