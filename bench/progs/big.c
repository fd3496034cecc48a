/*
 * A large program: two loops unrolled into more than 10,000 instructions.
 * Each load's address depends on the running state, so loads stay in place.
 */
#include "bench_prog.h"

BENCH(big)
{
	u64 a = 0x243f6a8885a308d3ull, b = 0x13198a2e03707344ull;
	CHECK(data, 1024, 0);
#pragma clang loop unroll(full)
	for (int i = 0; i < 1016; i += 8) {
		u64 v = *(const u64 *)(data + ((a >> 7 ^ (u64)i) & 1016));
		a = (a ^ v) * 0x9e3779b97f4a7c15ull;
		b += a >> 17 | v << 5;
		a ^= b >> 11;
		b = b * 5 + (u64)i;
	}
#pragma clang loop unroll(full)
	for (int i = 0; i < 1016; i += 8) {
		u64 v = *(const u64 *)(data + ((b >> 9 ^ (u64)i) & 1016));
		b = (b ^ v) * 0xc2b2ae3d27d4eb4full;
		a += b >> 13 | v << 7;
		b ^= a >> 9;
		a = a * 3 + (u64)i;
	}
	return a ^ b;
}
