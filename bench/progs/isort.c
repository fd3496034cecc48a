/* Insertion sort of 48 words on the stack: compares, branches, loads and stores. */
#include "bench_prog.h"

BENCH(isort)
{
	u32 a[48];
	u64 sum = 0;
	for (int i = 0; i < 48; i++) {
		CHECK(data + 4 * i, 4, 0);
		a[i] = *(const u32 *)(data + 4 * i);
	}
	for (int i = 1; i < 48; i++) {
		u32 v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
	for (int i = 0; i < 48; i++)
		sum = sum * 7 + a[i];
	return sum;
}
