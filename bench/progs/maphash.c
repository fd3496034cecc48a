/*
 * Hash map lookups in a loop: u32 keys into a 1024-entry hash map holding
 * 512 keys (multiples of 7); about half the lookups miss.
 */
#include "bench_prog.h"

MAP_HASH(table, 1024)

BENCH_MAPS(maphash)
{
	u64 sum = 0;

	BENCH_MAPS_FILL(&table);
	CHECK(data, 513, 0);
	for (u32 i = 0; i < 512; i++) {
		u32 key = (u32)data[i] * 7 + (data[i + 1] & 1);
		u64 *v = LOOKUP(table, key);
		if (v)
			sum = sum * 31 + *v;
		else
			sum += key;
	}
	return sum;
}
