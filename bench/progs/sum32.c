/* Memory loads: the sum of the 32-bit words of the data. */
#include "bench_prog.h"

BENCH(sum32)
{
	u64 sum = 0;
	for (int i = 0; i < 256; i++) {
		CHECK(data + 4 * i, 4, sum);
		sum += *(const u32 *)(data + 4 * i);
	}
	return sum;
}
