/* Hashing: 64-bit FNV-1a of the data. */
#include "bench_prog.h"

BENCH(fnv1a)
{
	u64 h = 0xcbf29ce484222325ull;
	for (int i = 0; i < 1024; i++) {
		CHECK(data + i, 1, h);
		h = (h ^ data[i]) * 0x100000001b3ull;
	}
	return h;
}
