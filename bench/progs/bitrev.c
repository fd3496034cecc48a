/* Bit tricks: bit reversal of 32-bit words by shifts and masks, chained. */
#include "bench_prog.h"

BENCH(bitrev)
{
	u32 acc = 0;
	for (int i = 0; i < 256; i++) {
		u32 v;
		CHECK(data + 4 * i, 4, acc);
		v = *(const u32 *)(data + 4 * i) ^ acc;
		v = (v >> 1 & 0x55555555u) | (v & 0x55555555u) << 1;
		v = (v >> 2 & 0x33333333u) | (v & 0x33333333u) << 2;
		v = (v >> 4 & 0x0f0f0f0fu) | (v & 0x0f0f0f0fu) << 4;
		v = (v >> 8 & 0x00ff00ffu) | (v & 0x00ff00ffu) << 8;
		acc = v >> 16 | v << 16;
	}
	return acc;
}
