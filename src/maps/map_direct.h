/*
 * map_direct.h - what code outside src/maps may know of a map's memory to
 * reach its values without a call: for now the JIT's inline
 * bpf_map_lookup_elem on plain arrays.
 */
#ifndef NYUKI_MAP_DIRECT_H
#define NYUKI_MAP_DIRECT_H

#include <stdint.h>

#include "nyuki/map.h"

/* A plain array's values: value i is at values + i * stride, for i < max_entries. */
struct map_array_layout {
	uint8_t *values;
	uint64_t stride;         /* round_up(value_size, 8) */
	uint32_t max_entries;
};

/*
 * 1 and fills *out when `map` is a BPF_MAP_TYPE_ARRAY (not per-CPU): its
 * values are allocated once with the map and never move, so the layout
 * holds for the map's lifetime. 0 for every other map.
 */
int map_array_layout(const struct nyk_map *map, struct map_array_layout *out);

#endif
