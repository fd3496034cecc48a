/* A counted loop with a short body: the loop overhead itself (compare, branch, counter). */
#include "bench_prog.h"

BENCH(loops)
{
	u64 x;
	CHECK(data, 8, 0);
	x = *(const u64 *)data;
	for (u32 i = 0; i < 4000; i++)
		x = x * 6364136223846793005ull + i;
	return x;
}
