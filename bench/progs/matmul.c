/* Multiplications: an 8 x 8 matrix of 32-bit words squared, summed. */
#include "bench_prog.h"

BENCH(matmul)
{
	u64 sum = 0;
	CHECK(data, 256, 0);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 8; j++) {
			u32 c = 0;
			for (int k = 0; k < 8; k++)
				c += *(const u32 *)(data + 32 * i + 4 * k) * *(const u32 *)(data + 32 * k + 4 * j);
			sum = sum * 3 + c;
		}
	return sum;
}
