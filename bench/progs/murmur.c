/* Hashing: MurmurHash3-style mixing of 32-bit words, with rotates. */
#include "bench_prog.h"

BENCH(murmur)
{
	u32 h = 0x12345678;
	for (int i = 0; i < 256; i++) {
		u32 k;
		CHECK(data + 4 * i, 4, h);
		k = *(const u32 *)(data + 4 * i) * 0xcc9e2d51u;
		k = k << 15 | k >> 17;
		h ^= k * 0x1b873593u;
		h = (h << 13 | h >> 19) * 5 + 0xe6546b64u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}
