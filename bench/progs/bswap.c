/* Byte swaps: network-order conversions of 16, 32 and 64-bit fields, chained. */
#include "bench_prog.h"

BENCH(bswap)
{
	u64 acc = 0;
	for (int i = 0; i < 128; i++) {
		u64 v;
		CHECK(data + 8 * i, 8, acc);
		v = *(const u64 *)(data + 8 * i);
		acc += __builtin_bswap64(v ^ acc);
		acc ^= __builtin_bswap32((u32)(v >> 16));
		acc += __builtin_bswap16((u16)(v >> 40));
		acc = acc << 1 | acc >> 63;
	}
	return acc;
}
