/*
 * array.c - BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY.
 *
 * max_entries values of round_up(value_size, 8) bytes, contiguous, zeroed
 * at creation; per-CPU arrays keep one such run per CPU. Keys are u32
 * indexes. Every element always exists: BPF_NOEXIST gives -EEXIST, delete
 * -EINVAL, an index out of range -E2BIG on update and -ENOENT on lookup.
 * Updates write in place (BPF_F_LOCK: under the value's bpf_spin_lock).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "maps/map_direct.h"
#include "maps/map_internal.h"

/* The kernel's array_map_alloc_check, shared by the fd arrays. */
int map_array_check_common(const struct nyk_map_def *def, uint32_t extra_flags, struct nyk_error *err)
{
	bool percpu = def->type == NYK_MAP_PERCPU_ARRAY;
	int r;

	if (!def->max_entries || def->key_size != 4 || !def->value_size)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps need max_entries > 0, key_size 4 and "
				     "value_size > 0 (got %u, %u, %u)", def->name, nyk_map_type_name(def->type),
				     def->max_entries, def->key_size, def->value_size);
	r = map_check_flags(def, NYK_F_NUMA_NODE | MAP_F_ACCESS_MASK | extra_flags, err);
	if (r < 0)
		return r;
	if (def->value_size > INT_MAX)
		return nyk_error_set(err, -E2BIG, "map '%s': value_size %u is too big", def->name, def->value_size);
	if (percpu && map_round8(def->value_size) > MAP_PCPU_MIN_UNIT)
		return nyk_error_set(err, -E2BIG, "map '%s': per-CPU values are at most %u bytes (value_size %u)",
				     def->name, MAP_PCPU_MIN_UNIT, def->value_size);
	return 0;
}

static int array_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	bool plain = def->type == NYK_MAP_ARRAY;
	int r = map_array_check_common(def, plain ? NYK_F_MMAPABLE | NYK_F_INNER_MAP : 0, err);

	if (r < 0)
		return r;
	return map_check_spin_lock(def, plain, err);
}

static int array_layout(struct nyk_map *map, struct nyk_error *err)
{
	size_t per_cpu = map_mul(map->def.max_entries, map->vstride);

	(void)err;
	map->cpu_stride = map->percpu ? per_cpu : 0;
	map->values_len = map->percpu ? map_mul(per_cpu, map->nr_cpus) : per_cpu;
	map->type_size = map->values_len;
	return 0;
}

static int array_attach(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map->values = map->tstate;
	return 0;
}

static inline uint32_t index_of(const void *key)
{
	uint32_t i;

	memcpy(&i, key, 4);
	return i;
}

static void *array_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	uint32_t i = index_of(key);

	(void)cpu;
	if (i >= map->def.max_entries)
		return NULL;
	return map->values + (size_t)i * map->vstride;
}

static void *percpu_array_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	uint32_t i = index_of(key);

	if (i >= map->def.max_entries)
		return NULL;
	return map->values + (size_t)i * map->vstride + (size_t)map_cpu(map, cpu) * map->cpu_stride;
}

static int array_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	uint32_t i;
	uint8_t *v;

	if (!key)
		return -EINVAL;
	i = index_of(key);
	if (i >= map->def.max_entries)
		return -ENOENT;
	v = map->values + (size_t)i * map->vstride;
	if (map->percpu) {
		map_percpu_copy_out(map, value, v);
		return 0;
	}
	if (flags & NYK_F_LOCK)
		map_copy_value_locked(map, value, v, false);
	else
		map_copy_value(map, value, v);
	map_clear_special(map, value);
	return 0;
}

/* Flag and index checks of an update; the element's first copy or NULL with *r set. */
static uint8_t *update_target(struct nyk_map *map, const void *key, uint64_t flags, int *r)
{
	uint32_t i;

	*r = 0;
	if (!key || (flags & ~(uint64_t)NYK_F_LOCK) > NYK_EXIST || (map->percpu && (flags & NYK_F_LOCK))) {
		*r = -EINVAL;
		return NULL;
	}
	i = index_of(key);
	if (i >= map->def.max_entries) {
		*r = -E2BIG;
		return NULL;
	}
	if ((flags & ~(uint64_t)NYK_F_LOCK) == NYK_NOEXIST) {
		*r = -EEXIST;
		return NULL;
	}
	return map->values + (size_t)i * map->vstride;
}

static int array_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	int r;
	uint8_t *v = update_target(map, key, flags, &r);

	if (!v)
		return r;
	if (map->percpu)
		map_percpu_copy_in(map, v, value);
	else if (flags & NYK_F_LOCK)
		map_copy_value_locked(map, v, value, true);
	else
		map_copy_value(map, v, value);
	return 0;
}

static int array_update_elem(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu)
{
	int r;
	uint8_t *v = update_target(map, key, flags, &r);

	if (!v)
		return r;
	if (map->percpu)
		memcpy(v + (size_t)map_cpu(map, cpu) * map->cpu_stride, value, map->def.value_size);
	else if (flags & NYK_F_LOCK)
		map_copy_value_locked(map, v, value, true);
	else
		map_copy_value(map, v, value);
	return 0;
}

static int array_delete(struct nyk_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -EINVAL;
}

int map_array_get_next_key(struct nyk_map *map, const void *key, void *next_key)
{
	uint32_t i = key ? index_of(key) : UINT32_MAX, next;

	if (i >= map->def.max_entries)
		next = 0;
	else if (i == map->def.max_entries - 1)
		return -ENOENT;
	else
		next = i + 1;
	memcpy(next_key, &next, 4);
	return 0;
}

static long array_for_each(struct nyk_map *map, unsigned cpu, int (*fn)(void *, const void *, void *), void *ctx)
{
	size_t cpu_off = map->percpu ? (size_t)map_cpu(map, cpu) * map->cpu_stride : 0;
	long n = 0;

	for (uint32_t i = 0; i < map->def.max_entries; i++) {
		uint32_t key = i;
		n++;
		if (fn(ctx, &key, map->values + (size_t)i * map->vstride + cpu_off))
			break;
	}
	return n;
}

const struct map_ops map_array_ops = {
	.name = "array",
	.shareable = true,
	.check = array_check,
	.layout = array_layout,
	.attach = array_attach,
	.lookup_ptr = array_lookup_ptr,
	.update_elem = array_update_elem,
	.delete_elem = array_delete,
	.lookup = array_lookup,
	.update = array_update,
	.get_next_key = map_array_get_next_key,
	.for_each = array_for_each,
};

const struct map_ops map_percpu_array_ops = {
	.name = "percpu_array",
	.shareable = true,
	.percpu = true,
	.check = array_check,
	.layout = array_layout,
	.attach = array_attach,
	.lookup_ptr = percpu_array_lookup_ptr,
	.update_elem = array_update_elem,
	.delete_elem = array_delete,
	.lookup = array_lookup,
	.update = array_update,
	.get_next_key = map_array_get_next_key,
	.for_each = array_for_each,
};

int map_fd_array_check(const struct nyk_map_def *def, uint32_t extra_flags, struct nyk_error *err)
{
	if (def->value_size != 4)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps need value_size 4 (got %u)", def->name,
				     nyk_map_type_name(def->type), def->value_size);
	if (def->map_flags & (NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG))
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps do not take BPF_F_RDONLY_PROG/WRONLY_PROG",
				     def->name, nyk_map_type_name(def->type));
	int r = map_array_check_common(def, extra_flags, err);
	if (r < 0)
		return r;
	return map_check_spin_lock(def, false, err);
}

int map_array_layout(const struct nyk_map *map, struct map_array_layout *out)
{
	/* The ops, not the type: exactly the maps whose lookup is array_lookup_ptr. */
	if (!map || map->ops != &map_array_ops || map->percpu || !map->values)
		return 0;
	out->values = map->values;
	out->stride = map->vstride;
	out->max_entries = map->def.max_entries;
	return 1;
}
