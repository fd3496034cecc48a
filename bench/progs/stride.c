/* Memory strides: sums of 64-bit words read with strides 1, 3, 7 and 13 (mod 128 words). */
#include "bench_prog.h"

BENCH(stride)
{
	u64 sum = 0;
	for (u32 s = 1; s < 16; s += 4) {
		u32 k = 0;
		for (int i = 0; i < 128; i++) {
			const u8 *p = data + 8 * (k & 127);
			CHECK(p, 8, sum);
			sum += *(const u64 *)p ^ s;
			k += s + (s >> 1);
		}
	}
	return sum;
}
