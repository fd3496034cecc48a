/*
 * prog_array.c - BPF_MAP_TYPE_PROG_ARRAY: the table of tail calls.
 *
 * Each slot holds a u32 program reference as the caller gives it (the
 * kernel takes a program fd; what the number means - a program index, an
 * fd-like handle - is up to the runtime that makes the tail call, which
 * also enforces the 33-call limit) or nothing. Slots are 64-bit atomics:
 * bit 32 says "present", so a tail call reads a consistent slot while the
 * host updates it. Updates take BPF_ANY only; delete empties a slot.
 * Programs do not look slots up (NULL); the runtime uses
 * nyk_map_prog_array_get.
 */
#include <errno.h>
#include <string.h>

#include "maps/map_internal.h"

#define PRESENT (1ull << 32)

static int prog_array_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	return map_fd_array_check(def, 0, err);
}

static int prog_array_layout(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map->type_size = map_mul(map->def.max_entries, sizeof(uint64_t));
	return 0;
}

static _Atomic uint64_t *slot(struct nyk_map *map, uint32_t i)
{
	return (_Atomic uint64_t *)map->tstate + i;
}

static uint32_t index_of(const void *key)
{
	uint32_t i;

	memcpy(&i, key, 4);
	return i;
}

static int prog_array_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	uint32_t i, v;
	uint64_t s;

	(void)flags;
	if (!key)
		return -EINVAL;
	i = index_of(key);
	if (i >= map->def.max_entries)
		return -ENOENT;
	s = atomic_load_explicit(slot(map, i), memory_order_acquire);
	if (!(s & PRESENT))
		return -ENOENT;
	v = (uint32_t)s;
	memcpy(value, &v, 4);
	return 0;
}

static int prog_array_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t i, v;

	if (!key || flags != NYK_ANY)
		return -EINVAL;
	i = index_of(key);
	if (i >= map->def.max_entries)
		return -E2BIG;
	memcpy(&v, value, 4);
	atomic_store_explicit(slot(map, i), PRESENT | v, memory_order_release);
	return 0;
}

static int prog_array_delete(struct nyk_map *map, const void *key)
{
	uint32_t i;

	if (!key)
		return -EINVAL;
	i = index_of(key);
	if (i >= map->def.max_entries)
		return -E2BIG;
	return atomic_exchange_explicit(slot(map, i), 0, memory_order_acq_rel) & PRESENT ? 0 : -ENOENT;
}

int nyk_map_prog_array_get(struct nyk_map *map, uint32_t index, uint32_t *prog)
{
	uint64_t s;

	if (!map || map->def.type != NYK_MAP_PROG_ARRAY || !prog)
		return -EINVAL;
	if (index >= map->def.max_entries)
		return -E2BIG;
	s = atomic_load_explicit(slot(map, index), memory_order_acquire);
	if (!(s & PRESENT))
		return -ENOENT;
	*prog = (uint32_t)s;
	return 0;
}

const struct map_ops map_prog_array_ops = {
	.name = "prog_array",
	.check = prog_array_check,
	.layout = prog_array_layout,
	.lookup = prog_array_lookup,
	.update = prog_array_update,
	.delete_elem = prog_array_delete,
	.get_next_key = map_array_get_next_key,
};
