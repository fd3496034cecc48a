/*
 * map.c - the one interface over every map type: creation and opening,
 * the process-wide id registry and references, permissions (freeze,
 * read-only flags), and dispatch to the type's struct map_ops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map_internal.h"
#include "nyuki/vm.h"

/* ---- type table ------------------------------------------------------------ */

/* Every kernel map type by number, as bpftool names them. */
static const char *const type_names[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array",
	"stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps",
	"hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage",
	"reuseport_sockarray", "percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter", "user_ringbuf",
	"cgrp_storage", "arena",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

static const struct map_ops *ops_of(uint32_t type)
{
	switch (type) {
	case NYK_MAP_HASH: return &map_hash_ops;
	case NYK_MAP_ARRAY: return &map_array_ops;
	case NYK_MAP_PROG_ARRAY: return &map_prog_array_ops;
	case NYK_MAP_PERF_EVENT_ARRAY: return &map_perf_event_array_ops;
	case NYK_MAP_PERCPU_HASH: return &map_percpu_hash_ops;
	case NYK_MAP_PERCPU_ARRAY: return &map_percpu_array_ops;
	case NYK_MAP_LRU_HASH: return &map_lru_hash_ops;
	case NYK_MAP_LRU_PERCPU_HASH: return &map_lru_percpu_hash_ops;
	case NYK_MAP_LPM_TRIE: return &map_lpm_trie_ops;
	case NYK_MAP_ARRAY_OF_MAPS: return &map_array_of_maps_ops;
	case NYK_MAP_HASH_OF_MAPS: return &map_hash_of_maps_ops;
	case NYK_MAP_QUEUE: return &map_queue_ops;
	case NYK_MAP_STACK: return &map_stack_ops;
	case NYK_MAP_RINGBUF: return &map_ringbuf_ops;
	default: return NULL;
	}
}

const char *nyk_map_type_name(uint32_t type)
{
	return type > 0 && type < NTYPES ? type_names[type] : NULL;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return false;
	return *a == *b;
}

int nyk_map_type_by_name(const char *name)
{
	static const char prefix[] = "bpf_map_type_";
	size_t i;

	if (!name)
		return -ENOENT;
	for (i = 0; prefix[i] && lower((unsigned char)name[i]) == prefix[i]; i++)
		;
	if (!prefix[i])
		name += i;
	for (uint32_t t = 1; t < NTYPES; t++)
		if (same_name(name, type_names[t]))
			return (int)t;
	return -ENOENT;
}

/* ---- checks and value copies shared by the types --------------------------- */

int map_check_flags(const struct nyk_map_def *def, uint32_t allowed, struct nyk_error *err)
{
	uint32_t f = def->map_flags;

	if (f & ~allowed)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps do not take map_flags 0x%x", def->name,
				     nyk_map_type_name(def->type), f & ~allowed);
	if ((f & (NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG)) == (NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG) ||
	    (f & (NYK_F_RDONLY | NYK_F_WRONLY)) == (NYK_F_RDONLY | NYK_F_WRONLY))
		return nyk_error_set(err, -EINVAL, "map '%s': read-only and write-only flags together", def->name);
	return 0;
}

int map_check_spin_lock(const struct nyk_map_def *def, bool allowed, struct nyk_error *err)
{
	if (!def->has_spin_lock)
		return 0;
	if (!allowed)
		return nyk_error_set(err, -ENOTSUP, "map '%s': %s maps cannot hold a bpf_spin_lock", def->name,
				     nyk_map_type_name(def->type));
	if (def->spin_lock_off % 4 || (uint64_t)def->spin_lock_off + 4 > def->value_size)
		return nyk_error_set(err, -EINVAL, "map '%s': bpf_spin_lock at offset %u of a %u-byte value",
				     def->name, def->spin_lock_off, def->value_size);
	return 0;
}

void map_copy_value(const struct nyk_map *map, void *dst, const void *src)
{
	size_t n = map->def.value_size;

	if (!map->def.has_spin_lock) {
		memcpy(dst, src, n);
		return;
	}
	size_t off = map->def.spin_lock_off;
	memcpy(dst, src, off);
	memcpy((uint8_t *)dst + off + 4, (const uint8_t *)src + off + 4, n - off - 4);
}

void map_copy_value_locked(const struct nyk_map *map, void *dst, const void *src, bool to_map)
{
	uint8_t *in_map = to_map ? dst : (uint8_t *)(uintptr_t)src;
	_Atomic uint32_t *lock = (_Atomic uint32_t *)(void *)(in_map + map->def.spin_lock_off);

	map_spin_lock(lock);
	map_copy_value(map, dst, src);
	map_spin_unlock(lock);
}

void map_clear_special(const struct nyk_map *map, void *value)
{
	if (map->def.has_spin_lock)
		memset((uint8_t *)value + map->def.spin_lock_off, 0, 4);
}

void map_init_value(const struct nyk_map *map, void *dst, const void *src)
{
	memcpy(dst, src, map->vsize);
	map_clear_special(map, dst);
}

void map_percpu_copy_out(const struct nyk_map *map, void *dst, const uint8_t *first)
{
	for (unsigned c = 0; c < map->nr_cpus; c++)
		memcpy((uint8_t *)dst + c * map->vstride, first + c * map->cpu_stride, map->vstride);
}

void map_percpu_copy_in(const struct nyk_map *map, uint8_t *first, const void *src)
{
	for (unsigned c = 0; c < map->nr_cpus; c++)
		memcpy(first + c * map->cpu_stride, (const uint8_t *)src + c * map->vstride, map->vstride);
}

void map_percpu_init_one(const struct nyk_map *map, uint8_t *first, const void *src, unsigned cpu)
{
	cpu = map_cpu(map, cpu);
	for (unsigned c = 0; c < map->nr_cpus; c++) {
		uint8_t *v = first + c * map->cpu_stride;
		if (c == cpu) {
			memcpy(v, src, map->def.value_size);
			memset(v + map->def.value_size, 0, map->vstride - map->def.value_size);
		} else {
			memset(v, 0, map->vstride);
		}
	}
}

unsigned map_region_flags(const struct nyk_map *map)
{
	if (map->def.map_flags & NYK_F_RDONLY_PROG)
		return NYK_MEM_READ;
	if (map->def.map_flags & NYK_F_WRONLY_PROG)
		return NYK_MEM_WRITE;
	return NYK_MEM_READ | NYK_MEM_WRITE;
}

/* ---- the id registry and references ------------------------------------------ */

static struct {
	atomic_flag lock;
	struct nyk_map **slots;   /* slots[id], id from 1 */
	uint32_t cap;
	uint32_t next;
} registry = { ATOMIC_FLAG_INIT, NULL, 0, 1 };

static void registry_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&registry.lock, memory_order_acquire))
		;
}

static void registry_unlock(void)
{
	atomic_flag_clear_explicit(&registry.lock, memory_order_release);
}

static int registry_add(struct nyk_map *map)
{
	int r = 0;

	registry_lock();
	if (registry.next >= registry.cap) {
		uint32_t cap = registry.cap ? registry.cap * 2 : 64;
		struct nyk_map **s = cap > registry.cap ? realloc(registry.slots, cap * sizeof(*s)) : NULL;
		if (!s) {
			r = -ENOMEM;
			goto out;
		}
		memset(s + registry.cap, 0, (cap - registry.cap) * sizeof(*s));
		registry.slots = s;
		registry.cap = cap;
	}
	map->id = registry.next++;
	registry.slots[map->id] = map;
out:
	registry_unlock();
	return r;
}

static void registry_remove(struct nyk_map *map)
{
	registry_lock();
	if (map->id && map->id < registry.cap && registry.slots[map->id] == map)
		registry.slots[map->id] = NULL;
	registry_unlock();
}

uint32_t nyk_map_id(const struct nyk_map *map)
{
	return map ? map->id : 0;
}

struct nyk_map *nyk_map_by_id(uint32_t id)
{
	struct nyk_map *m = NULL;

	registry_lock();
	if (id && id < registry.cap)
		m = registry.slots[id];
	registry_unlock();
	return m;
}

struct nyk_map *map_get_by_id(uint32_t id)
{
	struct nyk_map *m = NULL;

	registry_lock();
	if (id && id < registry.cap && (m = registry.slots[id]) != NULL) {
		uint32_t r = atomic_load(&m->refs);
		/* Only a live map gains a reference. */
		while (r && !atomic_compare_exchange_weak(&m->refs, &r, r + 1))
			;
		if (!r)
			m = NULL;
	}
	registry_unlock();
	return m;
}

void map_get(struct nyk_map *map)
{
	atomic_fetch_add(&map->refs, 1);
}

static void map_free(struct nyk_map *map)
{
	if (map->ops && map->ops->release && map->block)
		map->ops->release(map);
	map_block_free(map);
	free(map->path);
	free(map);
}

void map_put(struct nyk_map *map)
{
	if (map && atomic_fetch_sub(&map->refs, 1) == 1) {
		registry_remove(map);
		map_free(map);
	}
}

void nyk_map_destroy(struct nyk_map *map)
{
	map_put(map);
}

int map_inner_compatible(const struct nyk_map *outer, const struct nyk_map *inner)
{
	const struct nyk_map_def *t = &outer->inner_def, *d = &inner->def;

	if (d->type != t->type || d->key_size != t->key_size || d->value_size != t->value_size ||
	    d->map_flags != t->map_flags || d->has_spin_lock != t->has_spin_lock ||
	    (d->has_spin_lock && d->spin_lock_off != t->spin_lock_off) || inner->nr_cpus != outer->nr_cpus)
		return -EINVAL;
	if ((t->type == NYK_MAP_ARRAY || t->type == NYK_MAP_PERCPU_ARRAY) && !(t->map_flags & NYK_F_INNER_MAP) &&
	    d->max_entries != t->max_entries)
		return -EINVAL;
	return 0;
}

/* ---- creation and opening -------------------------------------------------- */

static void copy_name(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= NYK_MAP_NAME_MAX)
		n = NYK_MAP_NAME_MAX - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = 0;
}

/* The type's operations, or a negative errno with the reason in err. */
static int ops_for(const struct nyk_map_def *def, const struct map_ops **ops, struct nyk_error *err)
{
	const char *name = def->name ? def->name : "";

	if ((*ops = ops_of(def->type)) != NULL)
		return 0;
	if (nyk_map_type_name(def->type))
		return nyk_error_set(err, -ENOTSUP, "map '%s': map type %s (%u) is not supported in user space", name,
				     nyk_map_type_name(def->type), def->type);
	return nyk_error_set(err, -EINVAL, "map '%s': unknown map type %u", name, def->type);
}

/* Layout from the definition: block size, derived sizes. */
static int map_layout(struct nyk_map *map, struct nyk_error *err)
{
	int r;

	map->vstride = map_round8(map->def.value_size);
	map->vsize = map->def.value_size;
	map->percpu = map->ops->percpu;
	r = map->ops->layout(map, err);
	if (r < 0)
		return r;
	map->block_size = map_add(MAP_TYPE_OFF, map->type_size);
	if (map->block_size == SIZE_MAX || map->type_size == SIZE_MAX)
		return nyk_error_set(err, -E2BIG, "map '%s': %u entries of %u-byte keys and %u-byte values are too big",
				     map->name, map->def.max_entries, map->def.key_size, map->def.value_size);
	return 0;
}

static void write_hdr(struct nyk_map *map)
{
	struct map_block_hdr *h = map->hdr;
	const struct nyk_map_def *d = &map->def;

	memcpy(h->magic, MAP_MAGIC, 8);
	h->version = MAP_LAYOUT_VERSION;
	h->type_off = MAP_TYPE_OFF;
	h->block_size = map->block_size;
	h->type = d->type;
	h->key_size = d->key_size;
	h->value_size = d->value_size;
	h->max_entries = d->max_entries;
	h->map_flags = d->map_flags;
	h->numa_node = d->numa_node;
	h->pinning = d->pinning;
	h->nr_cpus = map->nr_cpus;
	h->has_spin_lock = d->has_spin_lock ? 1 : 0;
	h->spin_lock_off = d->has_spin_lock ? d->spin_lock_off : 0;
	h->perf_buf_size = map->perf_buf_size;
	memcpy(h->name, map->name, NYK_MAP_NAME_MAX);
}

/* Does the header of an existing file describe this map? */
static bool hdr_matches(const struct nyk_map *map)
{
	const struct map_block_hdr *h = map->hdr;
	const struct nyk_map_def *d = &map->def;

	return h->type == d->type && h->key_size == d->key_size && h->value_size == d->value_size &&
	       h->max_entries == d->max_entries && h->map_flags == d->map_flags && h->nr_cpus == map->nr_cpus &&
	       h->has_spin_lock == (d->has_spin_lock ? 1u : 0u) &&
	       (!d->has_spin_lock || h->spin_lock_off == d->spin_lock_off) && h->perf_buf_size == map->perf_buf_size &&
	       h->block_size == map->block_size;
}

#define OPT(o, field, dflt) \
	((o) && (o)->size >= offsetof(struct nyk_map_opts, field) + sizeof((o)->field) ? (o)->field : (dflt))

int nyk_map_create(const struct nyk_map_def *def, const struct nyk_map_opts *opts, struct nyk_map **out,
		   struct nyk_error *err)
{
	struct nyk_map *map;
	const struct map_ops *ops;
	const char *path;
	bool reused = false;
	int r;

	if (!out)
		return nyk_error_set(err, -EINVAL, "nyk_map_create: no place for the map");
	*out = NULL;
	if (!def)
		return nyk_error_set(err, -EINVAL, "nyk_map_create: no map definition");
	if ((r = ops_for(def, &ops, err)) < 0)
		return r;
	map = calloc(1, sizeof(*map));
	if (!map)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	map->ops = ops;
	map->def = *def;
	copy_name(map->name, def->name);
	map->def.name = map->name;
	map->def.inner = NULL;
	if (!map->def.has_spin_lock)
		map->def.spin_lock_off = 0;
	if (def->inner) {
		map->inner_def = *def->inner;
		copy_name(map->inner_name, def->inner->name);
		map->inner_def.name = map->inner_name;
		map->inner_def.inner = NULL;
		map->def.inner = &map->inner_def;
	}
	map->nr_cpus = OPT(opts, nr_cpus, 0u);
	if (!map->nr_cpus)
		map->nr_cpus = 1;
	if (def->type == NYK_MAP_PERF_EVENT_ARRAY) {
		/* As libbpf fills them in. */
		map->perf_buf_size = OPT(opts, perf_buf_size, (size_t)0);
		if (!map->def.key_size)
			map->def.key_size = 4;
		if (!map->def.value_size)
			map->def.value_size = 4;
		if (!map->def.max_entries)
			map->def.max_entries = map->nr_cpus;
	}
	path = OPT(opts, path, (const char *)NULL);
	atomic_init(&map->refs, 1);

	r = -EINVAL;
	if (map->nr_cpus > 4096) {
		nyk_error_set(err, r, "map '%s': %u CPUs: at most 4096", map->name, map->nr_cpus);
		goto fail;
	}
	if ((r = ops->check(&map->def, err)) < 0)
		goto fail;
	if ((r = map_layout(map, err)) < 0)
		goto fail;
	if (path && !ops->shareable) {
		r = nyk_error_set(err, -ENOTSUP, "map '%s': %s maps hold process-local references and cannot live in "
				  "shared memory", map->name, ops->name);
		goto fail;
	}
	if ((r = map_block_create(map, path, OPT(opts, flags, 0u), &reused, err)) < 0)
		goto fail;
	if (reused) {
		if (!hdr_matches(map)) {
			r = nyk_error_set(err, -EEXIST, "map '%s': %s holds a different map", map->name, path);
			goto fail;
		}
	} else {
		write_hdr(map);
		map->tstate = map->block + MAP_TYPE_OFF;
		if (ops->init && (r = ops->init(map, err)) < 0)
			goto fail;
	}
	map->tstate = map->block + MAP_TYPE_OFF;
	if (ops->attach && (r = ops->attach(map, err)) < 0)
		goto fail;
	if (map->shared && (r = map_block_publish(map, err)) < 0)
		goto fail;
	if ((r = registry_add(map)) < 0) {
		nyk_error_set(err, r, "out of memory");
		goto fail;
	}
	*out = map;
	return 0;
fail:
	if (err && !err->code)
		nyk_error_set(err, r, "map '%s': cannot create", map->name);
	map_free(map);
	return r;
}

int nyk_map_open_shared(const char *path, struct nyk_map **out, struct nyk_error *err)
{
	struct nyk_map *map;
	const struct map_block_hdr *h;
	int r;

	if (!out || !path)
		return nyk_error_set(err, -EINVAL, "nyk_map_open_shared: no path or no place for the map");
	*out = NULL;
	map = calloc(1, sizeof(*map));
	if (!map)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	atomic_init(&map->refs, 1);
	if ((r = map_block_open(map, path, err)) < 0)
		goto fail;
	if (!(map->path = strdup(path))) {
		r = nyk_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	h = map->hdr;
	memcpy(map->name, h->name, NYK_MAP_NAME_MAX);
	map->name[NYK_MAP_NAME_MAX - 1] = 0;
	map->def.type = h->type;
	map->def.key_size = h->key_size;
	map->def.value_size = h->value_size;
	map->def.max_entries = h->max_entries;
	map->def.map_flags = h->map_flags;
	map->def.numa_node = h->numa_node;
	map->def.pinning = h->pinning;
	map->def.has_spin_lock = h->has_spin_lock != 0;
	map->def.spin_lock_off = h->spin_lock_off;
	map->def.name = map->name;
	map->nr_cpus = h->nr_cpus;
	map->perf_buf_size = (size_t)h->perf_buf_size;
	if ((r = ops_for(&map->def, &map->ops, err)) < 0)
		goto fail_msg;
	r = -EINVAL;
	if (!map->ops->shareable || !map->nr_cpus || map->nr_cpus > 4096) {
		nyk_error_set(err, r, "%s: not a valid shared map", path);
		goto fail;
	}
	if ((r = map->ops->check(&map->def, err)) < 0 || (r = map_layout(map, err)) < 0)
		goto fail_msg;
	if (map->block_size != h->block_size) {
		r = nyk_error_set(err, -EINVAL, "%s: size %zu does not match its definition (%zu)", path,
				  (size_t)h->block_size, map->block_size);
		goto fail;
	}
	map->tstate = map->block + MAP_TYPE_OFF;
	if (map->ops->attach && (r = map->ops->attach(map, err)) < 0)
		goto fail_msg;
	if ((r = registry_add(map)) < 0) {
		nyk_error_set(err, r, "out of memory");
		goto fail;
	}
	*out = map;
	return 0;
fail_msg:
	if (err) {
		char msg[NYK_ERROR_MSG_MAX];
		memcpy(msg, err->message, sizeof(msg));
		msg[sizeof(msg) - 1] = 0;
		nyk_error_set(err, r, "%s: %s", path, msg);
	}
fail:
	map->ops = NULL;   /* nothing of the type's to release */
	map_free(map);
	return r;
}

/* ---- accessors ---------------------------------------------------------------- */

const struct nyk_map_def *nyk_map_get_def(const struct nyk_map *map)
{
	return map ? &map->def : NULL;
}

const char *nyk_map_name(const struct nyk_map *map)
{
	return map ? map->name : NULL;
}

unsigned nyk_map_nr_cpus(const struct nyk_map *map)
{
	return map ? map->nr_cpus : 0;
}

const char *nyk_map_shm_path(const struct nyk_map *map)
{
	return map && map->shared ? map->path : NULL;
}

size_t nyk_map_value_size_user(const struct nyk_map *map)
{
	if (!map)
		return 0;
	if (map->ops->percpu)
		return map->vstride * map->nr_cpus;
	return map->def.value_size;
}

int nyk_map_freeze(struct nyk_map *map)
{
	uint32_t expect = 0;

	if (!map)
		return -EINVAL;
	if (map->def.has_spin_lock)
		return -ENOTSUP;
	if (map->def.map_flags & NYK_F_RDONLY)
		return -EPERM;
	if (!atomic_compare_exchange_strong(&map->hdr->frozen, &expect, 1))
		return -EBUSY;
	return 0;
}

/* ---- syscall-style access ------------------------------------------------------- */

static int sys_writable(const struct nyk_map *map)
{
	if ((map->def.map_flags & NYK_F_RDONLY) || atomic_load_explicit(&map->hdr->frozen, memory_order_acquire))
		return -EPERM;
	return 0;
}

static int sys_readable(const struct nyk_map *map)
{
	return map->def.map_flags & NYK_F_WRONLY ? -EPERM : 0;
}

/* bpf(2) copies no key for maps without one, and refuses one given. */
static bool bad_key(const struct nyk_map *map, const void *key)
{
	return !map->def.key_size && key;
}

int nyk_map_lookup_flags(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	int r;

	if (!map || !value || bad_key(map, key))
		return -EINVAL;
	if ((r = sys_readable(map)) < 0)
		return r;
	if (flags & ~(uint64_t)NYK_F_LOCK)
		return -EINVAL;
	if ((flags & NYK_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	if (!map->ops->lookup)
		return -ENOTSUP;
	return map->ops->lookup(map, key, value, flags);
}

int nyk_map_lookup(struct nyk_map *map, const void *key, void *value)
{
	return nyk_map_lookup_flags(map, key, value, 0);
}

int nyk_map_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	int r;

	if (!map || !value || bad_key(map, key))
		return -EINVAL;
	if ((r = sys_writable(map)) < 0)
		return r;
	if ((flags & NYK_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	if (map->ops->update)
		return map->ops->update(map, key, value, flags);
	if (map->ops->push)
		return map->ops->push(map, value, flags);
	return -ENOTSUP;
}

int nyk_map_delete(struct nyk_map *map, const void *key)
{
	int r;

	if (!map)
		return -EINVAL;
	if ((r = sys_writable(map)) < 0)
		return r;
	if (!map->ops->delete_elem)
		return map->ops->push ? -EINVAL : -ENOTSUP;
	return map->ops->delete_elem(map, key);
}

int nyk_map_lookup_and_delete(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	int r;

	if (!map || !value || bad_key(map, key))
		return -EINVAL;
	if ((r = sys_writable(map)) < 0 || (r = sys_readable(map)) < 0)
		return r;
	if (flags & ~(uint64_t)NYK_F_LOCK)
		return -EINVAL;
	if ((flags & NYK_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	if (map->ops->pop) {
		if (flags)
			return -EINVAL;
		return map->ops->pop(map, value, true);
	}
	if (!map->ops->lookup_and_delete)
		return -ENOTSUP;
	return map->ops->lookup_and_delete(map, key, value, flags);
}

int nyk_map_get_next_key(struct nyk_map *map, const void *key, void *next_key)
{
	int r;

	if (!map || !next_key)
		return -EINVAL;
	if ((r = sys_readable(map)) < 0)
		return r;
	if (!map->ops->get_next_key)
		return map->ops->push ? -EINVAL : -ENOTSUP;
	return map->ops->get_next_key(map, key, next_key);
}

/* ---- program-side access ---------------------------------------------------------- */

void *nyk_map_lookup_elem_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	if (!map || !map->ops->lookup_ptr)
		return NULL;
	return map->ops->lookup_ptr(map, key, cpu);
}

int nyk_map_update_elem(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu)
{
	if (!map || !value)
		return -EINVAL;
	if (map->def.map_flags & NYK_F_RDONLY_PROG)
		return -EPERM;
	if ((flags & NYK_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	if (map->ops->update_elem)
		return map->ops->update_elem(map, key, value, flags, cpu);
	if (map->ops->update)
		return map->ops->update(map, key, value, flags);
	if (map->ops->push)
		return map->ops->push(map, value, flags);
	return -ENOTSUP;
}

int nyk_map_delete_elem(struct nyk_map *map, const void *key)
{
	if (!map)
		return -EINVAL;
	if (map->def.map_flags & NYK_F_RDONLY_PROG)
		return -EPERM;
	if (!map->ops->delete_elem)
		return map->ops->push ? -EINVAL : -ENOTSUP;
	return map->ops->delete_elem(map, key);
}

int nyk_map_push(struct nyk_map *map, const void *value, uint64_t flags)
{
	if (!map || !value)
		return -EINVAL;
	if (!map->ops->push)
		return -ENOTSUP;
	if (map->def.map_flags & NYK_F_RDONLY_PROG)
		return -EPERM;
	return map->ops->push(map, value, flags);
}

int nyk_map_pop(struct nyk_map *map, void *value)
{
	if (!map || !value)
		return -EINVAL;
	if (!map->ops->pop)
		return -ENOTSUP;
	if (map->def.map_flags & NYK_F_RDONLY_PROG)
		return -EPERM;
	return map->ops->pop(map, value, true);
}

int nyk_map_peek(struct nyk_map *map, void *value)
{
	if (!map || !value)
		return -EINVAL;
	if (!map->ops->pop)
		return -ENOTSUP;
	return map->ops->pop(map, value, false);
}

long nyk_map_for_each_elem(struct nyk_map *map, unsigned cpu, int (*fn)(void *ctx, const void *key, void *value),
			   void *ctx)
{
	if (!map || !fn || !map->ops->for_each)
		return -EINVAL;
	return map->ops->for_each(map, cpu, fn, ctx);
}

int nyk_map_for_each_region(struct nyk_map *map, int (*fn)(void *ctx, void *addr, size_t len, unsigned flags),
			    void *ctx)
{
	if (!map || !fn)
		return -EINVAL;
	if (map->ops->for_each_region)
		return map->ops->for_each_region(map, fn, ctx);
	if (map->values && map->values_len)
		return fn(ctx, map->values, map->values_len, map_region_flags(map));
	return 0;
}
