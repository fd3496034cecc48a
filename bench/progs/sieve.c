/* A bit-array sieve of Eratosthenes on the stack: primes below 2048. */
#include "bench_prog.h"

BENCH(sieve)
{
	u64 bits[32];
	u64 count = 0;
	CHECK(data, 1, 0);
	for (int i = 0; i < 32; i++)
		bits[i] = 0;
	for (u32 p = 2; p < 46; p++) {
		if (bits[p >> 6 & 31] >> (p & 63) & 1)
			continue;
		for (u32 m = p * p; m < 2048; m += p)
			bits[m >> 6 & 31] |= 1ull << (m & 63);
	}
	for (u32 n = 2; n < 2048; n++)
		count += !(bits[n >> 6 & 31] >> (n & 63) & 1);
	return count + data[0];
}
