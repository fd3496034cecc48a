/* Nested loops: acc = acc * 31 + (i * j ^ acc >> 3) over a 48 x 48 grid. */
#include "bench_prog.h"

BENCH(nested)
{
	u64 acc;
	CHECK(data, 8, 0);
	acc = *(const u64 *)data;
	for (u32 i = 0; i < 48; i++)
		for (u32 j = 0; j < 48; j++)
			acc = acc * 31 + ((u64)(i * j) ^ (acc >> 3));
	return acc;
}
