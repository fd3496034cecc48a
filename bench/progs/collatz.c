/* Data-dependent loops and branches: Collatz steps of the seeds 1..300. */
#include "bench_prog.h"

BENCH(collatz)
{
	u64 steps = 0;
	CHECK(data, 1, 0);
	for (u64 s = 1; s <= 300; s++) {
		u64 x = s + (data[0] & 1);
		for (int k = 0; k < 200 && x != 1; k++) {
			x = x & 1 ? 3 * x + 1 : x >> 1;
			steps++;
		}
	}
	return steps;
}
