/*
 * Array map lookups in a loop: a 256-entry array indexed by the data bytes
 * (every lookup hits). Measures the helper call and the map's lookup.
 */
#include "bench_prog.h"

MAP_ARRAY(table, 256)

BENCH_MAPS(maparray)
{
	u64 sum = 0;

	BENCH_MAPS_FILL(&table);
	CHECK(data, 512, 0);
	for (u32 i = 0; i < 512; i++) {
		u32 key = data[i];
		u64 *v = LOOKUP(table, key);
		if (v)
			sum = sum * 31 + *v;
	}
	return sum;
}
