/* Bit tricks: SWAR population count of the 64-bit words. */
#include "bench_prog.h"

BENCH(popcount)
{
	u64 total = 0;
	for (int i = 0; i < 128; i++) {
		u64 v;
		CHECK(data + 8 * i, 8, total);
		v = *(const u64 *)(data + 8 * i);
		v = v - ((v >> 1) & 0x5555555555555555ull);
		v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
		v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
		total += (v * 0x0101010101010101ull) >> 56;
	}
	return total;
}
