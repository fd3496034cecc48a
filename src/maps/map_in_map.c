/*
 * map_in_map.c - BPF_MAP_TYPE_ARRAY_OF_MAPS and BPF_MAP_TYPE_HASH_OF_MAPS.
 *
 * The values are maps. Inside, a slot holds a struct nyk_map pointer and a
 * reference on that map; the syscall-style view is the inner map's u32 id
 * (nyk_map_id), given on update and returned by lookup, as the kernel takes
 * an fd and returns an id. An id that names no live map is -EBADF; a map
 * that does not match the `inner` definition -EINVAL. Programs' lookups
 * return the inner map pointer. Neither type can live in shared memory.
 *
 * array_of_maps: max_entries atomic pointers; updates take BPF_ANY only,
 * delete empties a slot. hash_of_maps: the hash table of htab.c with
 * 8-byte values holding the pointer.
 */
#include <errno.h>
#include <string.h>

#include "maps/htab.h"

/* The outer definition's rules plus the inner template's. */
static int inner_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	const struct nyk_map_def *in = def->inner;

	if (!in)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps need the definition of their inner maps",
				     def->name, nyk_map_type_name(def->type));
	if (in->type == NYK_MAP_ARRAY_OF_MAPS || in->type == NYK_MAP_HASH_OF_MAPS)
		return nyk_error_set(err, -EINVAL, "map '%s': maps of maps of maps are not allowed", def->name);
	if (in->type == NYK_MAP_PROG_ARRAY)
		return nyk_error_set(err, -EINVAL, "map '%s': a prog_array cannot be an inner map", def->name);
	return 0;
}

static uint32_t u32_of(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* The map an update names, with a reference taken, or NULL and *r set. */
static struct nyk_map *inner_from_value(struct nyk_map *outer, const void *value, int *r)
{
	struct nyk_map *in = map_get_by_id(u32_of(value));

	if (!in) {
		*r = -EBADF;
		return NULL;
	}
	if (map_inner_compatible(outer, in) < 0) {
		map_put(in);
		*r = -EINVAL;
		return NULL;
	}
	*r = 0;
	return in;
}

static void put_id(void *value, struct nyk_map *in)
{
	uint32_t id = nyk_map_id(in);

	memcpy(value, &id, 4);
}

static int regions_of(struct nyk_map *in, int (*fn)(void *, void *, size_t, unsigned), void *ctx)
{
	return in ? nyk_map_for_each_region(in, fn, ctx) : 0;
}

/* ---- array_of_maps ---------------------------------------------------------------- */

typedef struct nyk_map *_Atomic map_slot;

static map_slot *aom_slot(struct nyk_map *map, uint32_t i)
{
	return (map_slot *)map->tstate + i;
}

static int aom_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	int r = map_fd_array_check(def, 0, err);

	return r < 0 ? r : inner_check(def, err);
}

static int aom_layout(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map->type_size = map_mul(map->def.max_entries, sizeof(map_slot));
	return 0;
}

static int aom_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	for (uint32_t i = 0; i < map->def.max_entries; i++)
		atomic_init(aom_slot(map, i), NULL);
	return 0;
}

static void aom_release(struct nyk_map *map)
{
	for (uint32_t i = 0; i < map->def.max_entries; i++)
		map_put(atomic_exchange(aom_slot(map, i), NULL));
}

static void *aom_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	uint32_t i = u32_of(key);

	(void)cpu;
	if (i >= map->def.max_entries)
		return NULL;
	return atomic_load_explicit(aom_slot(map, i), memory_order_acquire);
}

static int aom_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	struct nyk_map *in;

	(void)flags;
	if (!key)
		return -EINVAL;
	in = aom_lookup_ptr(map, key, 0);
	if (!in)
		return -ENOENT;
	put_id(value, in);
	return 0;
}

static int aom_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	struct nyk_map *in;
	uint32_t i;
	int r;

	if (!key || flags != NYK_ANY)
		return -EINVAL;
	i = u32_of(key);
	if (i >= map->def.max_entries)
		return -E2BIG;
	if (!(in = inner_from_value(map, value, &r)))
		return r;
	map_put(atomic_exchange_explicit(aom_slot(map, i), in, memory_order_acq_rel));
	return 0;
}

static int aom_delete(struct nyk_map *map, const void *key)
{
	struct nyk_map *old;
	uint32_t i;

	if (!key)
		return -EINVAL;
	i = u32_of(key);
	if (i >= map->def.max_entries)
		return -E2BIG;
	old = atomic_exchange_explicit(aom_slot(map, i), NULL, memory_order_acq_rel);
	if (!old)
		return -ENOENT;
	map_put(old);
	return 0;
}

static int aom_regions(struct nyk_map *map, int (*fn)(void *, void *, size_t, unsigned), void *ctx)
{
	for (uint32_t i = 0; i < map->def.max_entries; i++) {
		int r = regions_of(atomic_load(aom_slot(map, i)), fn, ctx);
		if (r)
			return r;
	}
	return 0;
}

const struct map_ops map_array_of_maps_ops = {
	.name = "array_of_maps",
	.check = aom_check,
	.layout = aom_layout,
	.init = aom_init,
	.release = aom_release,
	.lookup_ptr = aom_lookup_ptr,
	.lookup = aom_lookup,
	.update = aom_update,
	.delete_elem = aom_delete,
	.get_next_key = map_array_get_next_key,
	.for_each_region = aom_regions,
};

/* ---- hash_of_maps ------------------------------------------------------------------- */

static struct nyk_map *hom_value(const uint8_t *v)
{
	struct nyk_map *m;

	memcpy(&m, v, sizeof(m));
	return m;
}

static void hom_freed(struct nyk_map *map, uint8_t *value)
{
	(void)map;
	map_put(hom_value(value));
}

static int hom_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	int r;

	if (def->value_size != 4)
		return nyk_error_set(err, -EINVAL, "map '%s': hash_of_maps maps need value_size 4 (got %u)", def->name,
				     def->value_size);
	r = map_htab_check(def, err);
	return r < 0 ? r : inner_check(def, err);
}

static int hom_layout(struct nyk_map *map, struct nyk_error *err)
{
	map->vsize = sizeof(struct nyk_map *);
	map->vstride = map_round8(map->vsize);
	return map_htab_layout(map, err);
}

static int hom_attach(struct nyk_map *map, struct nyk_error *err)
{
	map->value_freed = hom_freed;
	return map_htab_attach(map, err);
}

static void hom_put_slot(struct nyk_map *map, uint32_t s)
{
	map_put(hom_value(map_htab_value(map, s, 0)));
}

static void hom_release(struct nyk_map *map)
{
	if (map->buckets)
		map_htab_each_slot(map, hom_put_slot);
}

static void *hom_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	long s = map_htab_find(map, key, map_htab_hash(map, key), NULL);

	(void)cpu;
	return s < 0 ? NULL : hom_value(map_htab_value(map, (uint32_t)s, 0));
}

static int hom_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	struct nyk_map *in;

	(void)flags;
	if (!key)
		return -EINVAL;
	in = hom_lookup_ptr(map, key, 0);
	if (!in)
		return -ENOENT;
	put_id(value, in);
	return 0;
}

static int hom_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	struct nyk_map *in;
	int r;

	if (!key || flags > NYK_EXIST)
		return -EINVAL;
	if (!(in = inner_from_value(map, value, &r)))
		return r;
	r = map_htab_update(map, key, &in, flags, HTAB_SYSCALL, 0);
	if (r < 0)
		map_put(in);
	return r;
}

static int hom_regions(struct nyk_map *map, int (*fn)(void *, void *, size_t, unsigned), void *ctx)
{
	uint32_t nb = map->bucket_mask + 1;

	for (uint32_t b = 0; b < nb; b++) {
		uint32_t link = atomic_load_explicit(&map->buckets[b], memory_order_acquire), steps = 0;
		while (link && !(link & HTAB_NULLS) && link - 1 < map->nslots && ++steps <= map->nslots) {
			uint32_t s = link - 1;
			link = atomic_load_explicit(&map_htab_elem(map, s)->next, memory_order_acquire);
			int r = regions_of(hom_value(map_htab_value(map, s, 0)), fn, ctx);
			if (r)
				return r;
		}
	}
	return 0;
}

const struct map_ops map_hash_of_maps_ops = {
	.name = "hash_of_maps",
	.check = hom_check,
	.layout = hom_layout,
	.init = map_htab_init,
	.attach = hom_attach,
	.release = hom_release,
	.lookup_ptr = hom_lookup_ptr,
	.lookup = hom_lookup,
	.update = hom_update,
	.delete_elem = map_htab_delete,
	.get_next_key = map_htab_get_next_key,
	.for_each_region = hom_regions,
};
