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

/* The LRU types (lru_hash.c) use the same operations. */
#define HASH_OPS(ident, tname, is_percpu)                                  \
	const struct map_ops ident = {                                     \
		.name = tname,                                             \
		.shareable = true,                                         \
		.percpu = is_percpu,                                       \
		.check = map_htab_check,                                   \
		.layout = map_htab_layout,                                 \
		.init = map_htab_init,                                     \
		.attach = map_htab_attach,                                 \
		.lookup_ptr = map_htab_lookup_ptr,                         \
		.update_elem = map_hash_update_elem,                           \
		.delete_elem = map_htab_delete,                            \
		.lookup = map_htab_lookup,                                 \
		.update = map_hash_update,                                     \
		.lookup_and_delete = map_htab_lookup_and_delete,           \
		.get_next_key = map_htab_get_next_key,                     \
		.for_each = map_htab_for_each,                             \
	}

HASH_OPS(map_hash_ops, "hash", false);
HASH_OPS(map_percpu_hash_ops, "percpu_hash", true);
