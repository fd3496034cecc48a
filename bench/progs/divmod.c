/* Division and modulo by constants and by data-dependent divisors. */
#include "bench_prog.h"

BENCH(divmod)
{
	u64 acc = 7;
	for (int i = 0; i < 128; i++) {
		u64 v, d;
		CHECK(data + 8 * i, 8, acc);
		v = *(const u64 *)(data + 8 * i);
		d = (v & 0xffff) | 1;
		acc += v / 10 + v % 7 + (acc ^ v) / d + (u32)v % 1000;
	}
	return acc;
}
