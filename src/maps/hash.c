/*
 * hash.c - BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH over the hash
 * table of htab.c.
 *
 * Hash maps replace an element on update (a program's pointer to the old
 * value keeps the old value); per-CPU hash maps and BPF_F_LOCK updates
 * write in place. max_entries elements at most (-E2BIG), storage for all of
 * them reserved at creation; BPF_F_NO_PREALLOC is accepted and changes
 * nothing visible (untouched memory is not committed by the system).
 */
#include "maps/htab.h"

int map_hash_update_elem(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu)
{
	return map_htab_update(map, key, value, flags, HTAB_PROGRAM, cpu);
}

int map_hash_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	return map_htab_update(map, key, value, flags, HTAB_SYSCALL, 0);
}

MAP_HTAB_OPS(map_hash_ops, "hash", false);
MAP_HTAB_OPS(map_percpu_hash_ops, "percpu_hash", true);
