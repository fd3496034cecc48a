/* A scalar loop: Fibonacci numbers modulo 2^64, from a seed in the data. */
#include "bench_prog.h"

BENCH(fib)
{
	u64 a, b = 1;
	CHECK(data, 8, 0);
	a = *(const u64 *)data & 0xff;
	for (int i = 0; i < 1000; i++) {
		u64 c = a + b;
		a = b;
		b = c;
	}
	return b;
}
