/* Stores: copy 256 bytes to a stack buffer word by word, then fold it with xor. */
#include "bench_prog.h"

BENCH(memxor)
{
	u64 buf[32];
	u64 acc = 0;
	for (int i = 0; i < 32; i++) {
		CHECK(data + 8 * i, 8, 0);
		buf[i] = *(const u64 *)(data + 8 * i) ^ (u64)i;
	}
	for (int r = 0; r < 4; r++)
		for (int i = 0; i < 32; i++) {
			buf[(i + r) & 31] ^= buf[i] >> 3;
			acc += buf[i];
		}
	return acc;
}
