/*
 * htab.c - the hash table under the hash map types (see htab.h): layout,
 * the key hash, lock-free lookups, and updates, deletes and iteration
 * under the map lock.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "maps/htab.h"

/* ---- the hash function -------------------------------------------------------- */

#define K1 0x9e3779b97f4a7c15ull
#define K2 0xc2b2ae3d27d4eb4full

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t fmix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

static inline uint64_t round64(uint64_t h, uint64_t w)
{
	return rotl64(h ^ (w * K2), 31) * K1;
}

/* A fast hash of the key bytes: eight bytes a step, then a full avalanche. */
uint32_t map_hash_bytes(const void *key, size_t len, uint64_t seed)
{
	const uint8_t *p = key;
	uint64_t h = seed ^ ((uint64_t)len * K1), w;

	switch (len) {
	case 4: {
		uint32_t v;
		memcpy(&v, p, 4);
		h = round64(h, v);
		break;
	}
	case 8:
		memcpy(&w, p, 8);
		h = round64(h, w);
		break;
	default:
		for (; len >= 8; p += 8, len -= 8) {
			memcpy(&w, p, 8);
			h = round64(h, w);
		}
		if (len) {
			w = 0;
			memcpy(&w, p, len);
			h = round64(h, w);
		}
	}
	h = fmix64(h);
	return (uint32_t)(h ^ (h >> 32));
}

uint64_t map_random_seed(void)
{
	static _Atomic uint64_t counter;
	uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);

	x ^= (uint64_t)(uintptr_t)&x ^ atomic_fetch_add(&counter, K1);
	return fmix64(x);
}

/* ---- layout ---------------------------------------------------------------------- */

int map_htab_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	bool lru = def->type == NYK_MAP_LRU_HASH || def->type == NYK_MAP_LRU_PERCPU_HASH;
	bool percpu = def->type == NYK_MAP_PERCPU_HASH || def->type == NYK_MAP_LRU_PERCPU_HASH;
	const char *t = nyk_map_type_name(def->type);
	int r;

	r = map_check_flags(def, NYK_F_NO_PREALLOC | NYK_F_NO_COMMON_LRU | NYK_F_NUMA_NODE | MAP_F_ACCESS_MASK |
					 NYK_F_ZERO_SEED, err);
	if (r < 0)
		return r;
	if (!lru && (def->map_flags & NYK_F_NO_COMMON_LRU))
		return nyk_error_set(err, -EINVAL, "map '%s': BPF_F_NO_COMMON_LRU is for LRU maps", def->name);
	if (lru && (def->map_flags & NYK_F_NO_PREALLOC))
		return nyk_error_set(err, -ENOTSUP, "map '%s': LRU maps are always preallocated (BPF_F_NO_PREALLOC)",
				     def->name);
	if (!def->max_entries || !def->key_size || !def->value_size)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps need max_entries, key_size and value_size > 0 "
				     "(got %u, %u, %u)", def->name, t, def->max_entries, def->key_size, def->value_size);
	if (def->key_size > MAP_MAX_BPF_STACK)
		return nyk_error_set(err, -E2BIG, "map '%s': key_size %u: keys are at most %u bytes", def->name,
				     def->key_size, MAP_MAX_BPF_STACK);
	if (def->value_size >= MAP_KMALLOC_MAX - MAP_MAX_BPF_STACK - sizeof(struct htab_elem) - def->key_size)
		return nyk_error_set(err, -E2BIG, "map '%s': value_size %u is too big", def->name, def->value_size);
	if (percpu && map_round8(def->value_size) > MAP_PCPU_MIN_UNIT)
		return nyk_error_set(err, -E2BIG, "map '%s': per-CPU values are at most %u bytes (value_size %u)",
				     def->name, MAP_PCPU_MIN_UNIT, def->value_size);
	if (def->max_entries > HTAB_MAX_ENTRIES)
		return nyk_error_set(err, -E2BIG, "map '%s': max_entries %u: at most %u", def->name,
				     def->max_entries, HTAB_MAX_ENTRIES);
	return map_check_spin_lock(def, def->type == NYK_MAP_HASH, err);
}

int map_htab_layout(struct nyk_map *map, struct nyk_error *err)
{
	uint32_t nb = 1;
	size_t off, per_cpu;

	(void)err;
	while (nb < map->def.max_entries)
		nb <<= 1;
	map->nslots = map->def.max_entries + (map->def.max_entries < HTAB_SLACK ? map->def.max_entries : HTAB_SLACK);
	map->bucket_mask = nb - 1;
	map->elem_size = map_round8(sizeof(struct htab_elem) + map->def.key_size);
	map->lru = map->def.type == NYK_MAP_LRU_HASH || map->def.type == NYK_MAP_LRU_PERCPU_HASH;

	off = map_round_up(sizeof(struct htab_hdr), MAP_CACHELINE);
	map->offs[0] = off;
	off = map_add(off, map_round_up((size_t)nb * 4, MAP_CACHELINE));
	map->offs[1] = off;
	off = map_add(off, map_round_up(map_mul(map->nslots, map->elem_size), MAP_CACHELINE));
	map->offs[2] = off;
	per_cpu = map_mul(map->nslots, map->vstride);
	map->cpu_stride = map->percpu ? per_cpu : 0;
	map->values_len = map->percpu ? map_mul(per_cpu, map->nr_cpus) : per_cpu;
	map->type_size = map_add(off, map->values_len);
	return 0;
}

int map_htab_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map_htab_hdr(map)->seed = (map->def.map_flags & NYK_F_ZERO_SEED) ? 0 : map_random_seed();
	return 0;
}

int map_htab_attach(struct nyk_map *map, struct nyk_error *err)
{
	uint8_t *t = map->tstate;
	struct htab_hdr *h = map_htab_hdr(map);

	map->seed = h->seed;
	map->buckets = (_Atomic uint32_t *)(void *)(t + map->offs[0]);
	map->elems = t + map->offs[1];
	map->values = t + map->offs[2];
	/* A shared file from elsewhere: indexes must stay in range. */
	if (h->fresh > map->nslots || h->free_head > map->nslots || h->free_tail > map->nslots ||
	    h->lru_head > map->nslots || h->lru_tail > map->nslots)
		return nyk_error_set(err, -EINVAL, "map '%s': corrupt hash table header", map->name);
	return 0;
}

/* ---- lookups ------------------------------------------------------------------------ */

uint32_t map_htab_hash(const struct nyk_map *map, const void *key)
{
	return map_hash_bytes(key, map->def.key_size, map->seed);
}

/* Keys of 4 and 8 bytes (most) compared without a call. */
static inline bool same_key(const uint8_t *a, const void *b, uint32_t size)
{
	uint32_t x4, y4;
	uint64_t x8, y8;

	switch (size) {
	case 4:
		memcpy(&x4, a, 4);
		memcpy(&y4, b, 4);
		return x4 == y4;
	case 8:
		memcpy(&x8, a, 8);
		memcpy(&y8, b, 8);
		return x8 == y8;
	default:
		return !memcmp(a, b, size);
	}
}

long map_htab_find(struct nyk_map *map, const void *key, uint32_t hash, uint32_t *seq)
{
	uint32_t b = hash & map->bucket_mask, nslots = map->nslots, ksz = map->def.key_size;
	unsigned restarts = 0;

again:;
	uint32_t link = atomic_load_explicit(&map->buckets[b], memory_order_acquire), steps = 0;
	if (!link)
		return -1;
	while (!(link & HTAB_NULLS)) {
		uint32_t s = link - 1;
		if (s >= nslots || ++steps > nslots)
			return -1;
		struct htab_elem *e = map_htab_elem(map, s);
		uint32_t s1 = atomic_load_explicit(&e->seq, memory_order_acquire);
		if (atomic_load_explicit(&e->hash, memory_order_relaxed) == hash && !(s1 & 1) &&
		    same_key(e->key, key, ksz)) {
			atomic_thread_fence(memory_order_acquire);
			if (atomic_load_explicit(&e->seq, memory_order_relaxed) == s1) {
				if (seq)
					*seq = s1;
				return s;
			}
			if (++restarts < 1000)
				goto again;   /* refilled under us */
			return -1;
		}
		link = atomic_load_explicit(&e->next, memory_order_acquire);
	}
	/* Ended in another bucket's chain: an element moved under us. */
	if ((link & ~HTAB_NULLS) != b && ++restarts < 1000)
		goto again;
	return -1;
}

void *map_htab_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	long s = map_htab_find(map, key, map_htab_hash(map, key), NULL);

	if (s < 0)
		return NULL;
	if (map->lru) {
		struct htab_elem *e = map_htab_elem(map, (uint32_t)s);
		if (!atomic_load_explicit(&e->ref, memory_order_relaxed))
			atomic_store_explicit(&e->ref, 1, memory_order_relaxed);
	}
	return map_htab_value(map, (uint32_t)s, map->percpu ? map_cpu(map, cpu) : 0);
}

static void copy_out(struct nyk_map *map, uint32_t s, void *value, uint64_t flags)
{
	uint8_t *v = map_htab_value(map, s, 0);

	if (map->percpu) {
		map_percpu_copy_out(map, value, v);
		return;
	}
	if (flags & NYK_F_LOCK)
		map_copy_value_locked(map, value, v, false);
	else
		map_copy_value(map, value, v);
	map_clear_special(map, value);
}

int map_htab_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	uint32_t hash, seq;
	long s;

	if (!key)
		return -EINVAL;
	if ((flags & NYK_F_LOCK) && map->percpu)
		return -EINVAL;
	hash = map_htab_hash(map, key);
	for (unsigned tries = 0;; tries++) {
		s = map_htab_find(map, key, hash, &seq);
		if (s < 0)
			return -ENOENT;
		copy_out(map, (uint32_t)s, value, flags);
		/* The slot was not refilled for another key while we copied. */
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&map_htab_elem(map, (uint32_t)s)->seq, memory_order_relaxed) == seq ||
		    tries > 1000)
			return 0;
	}
}

/* ---- structure changes (under the map lock) -------------------------------------------- */

static long alloc_slot(struct nyk_map *map)
{
	struct htab_hdr *h = map_htab_hdr(map);

	if (h->fresh < map->nslots)
		return h->fresh++;
	if (h->free_head) {
		uint32_t s = h->free_head - 1;
		h->free_head = map_htab_elem(map, s)->lru_next;
		if (!h->free_head)
			h->free_tail = 0;
		if (h->free_head > map->nslots)   /* corrupt: drop the list */
			h->free_head = h->free_tail = 0;
		return s;
	}
	return -1;
}

static void free_slot(struct nyk_map *map, uint32_t s)
{
	struct htab_hdr *h = map_htab_hdr(map);

	map_htab_elem(map, s)->lru_next = 0;
	if (h->free_tail)
		map_htab_elem(map, h->free_tail - 1)->lru_next = s + 1;
	else
		h->free_head = s + 1;
	h->free_tail = s + 1;
}

static void chain_insert(struct nyk_map *map, uint32_t s, uint32_t hash)
{
	uint32_t b = hash & map->bucket_mask;
	uint32_t head = atomic_load_explicit(&map->buckets[b], memory_order_relaxed);
	struct htab_elem *e = map_htab_elem(map, s);

	atomic_store_explicit(&e->next, head ? head : (HTAB_NULLS | b), memory_order_relaxed);
	atomic_store_explicit(&map->buckets[b], s + 1, memory_order_release);
}

static void chain_unlink(struct nyk_map *map, uint32_t s)
{
	struct htab_elem *e = map_htab_elem(map, s);
	uint32_t b = atomic_load_explicit(&e->hash, memory_order_relaxed) & map->bucket_mask, steps = 0, next;
	_Atomic uint32_t *link = &map->buckets[b];

	for (;;) {
		uint32_t l = atomic_load_explicit(link, memory_order_relaxed);
		if (!l || (l & HTAB_NULLS) || l - 1 >= map->nslots || ++steps > map->nslots)
			return;
		if (l == s + 1)
			break;
		link = &map_htab_elem(map, l - 1)->next;
	}
	next = atomic_load_explicit(&e->next, memory_order_relaxed);
	if (link == &map->buckets[b] && (next & HTAB_NULLS))
		next = 0;
	atomic_store_explicit(link, next, memory_order_release);
}

void map_htab_remove(struct nyk_map *map, uint32_t s)
{
	chain_unlink(map, s);
	if (map->lru)
		map_lru_unlink(map, s);
	if (map->value_freed)
		map->value_freed(map, map_htab_value(map, s, 0));
	free_slot(map, s);
	atomic_fetch_sub_explicit(&map_htab_hdr(map)->count, 1, memory_order_relaxed);
}

static void fill_value(struct nyk_map *map, uint32_t s, const void *value, enum htab_from from, unsigned cpu)
{
	uint8_t *v = map_htab_value(map, s, 0);

	if (!map->percpu)
		map_init_value(map, v, value);
	else if (from == HTAB_SYSCALL)
		map_percpu_copy_in(map, v, value);
	else
		map_percpu_init_one(map, v, value, cpu);
}

int map_htab_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags, enum htab_from from,
		    unsigned cpu)
{
	struct htab_hdr *h = map_htab_hdr(map);
	uint64_t f = flags & ~(uint64_t)NYK_F_LOCK;
	uint32_t hash;
	long old, s;
	int r = 0;

	if (!key || f > NYK_EXIST)
		return -EINVAL;
	if ((flags & NYK_F_LOCK) && (map->percpu || !map->def.has_spin_lock))
		return -EINVAL;
	hash = map_htab_hash(map, key);
	if (flags & NYK_F_LOCK) {
		/* In place under the value's lock, without the map lock, as the kernel does. */
		old = map_htab_find(map, key, hash, NULL);
		if (old >= 0) {
			if (f == NYK_NOEXIST)
				return -EEXIST;
			map_copy_value_locked(map, map_htab_value(map, (uint32_t)old, 0), value, true);
			return 0;
		}
	}
	map_lock(&h->lock);
	old = map_htab_find(map, key, hash, NULL);
	if (old >= 0 && f == NYK_NOEXIST) {
		r = -EEXIST;
		goto out;
	}
	if (old < 0 && f == NYK_EXIST) {
		r = -ENOENT;
		goto out;
	}
	if (old >= 0 && (flags & NYK_F_LOCK)) {
		map_copy_value_locked(map, map_htab_value(map, (uint32_t)old, 0), value, true);
		goto out;
	}
	if (old >= 0 && map->percpu) {
		/* Per-CPU values are written in place. */
		if (from == HTAB_SYSCALL)
			map_percpu_copy_in(map, map_htab_value(map, (uint32_t)old, 0), value);
		else
			memcpy(map_htab_value(map, (uint32_t)old, map_cpu(map, cpu)), value, map->def.value_size);
		if (map->lru)
			atomic_store_explicit(&map_htab_elem(map, (uint32_t)old)->ref, 1, memory_order_relaxed);
		goto out;
	}
	if (old < 0 && atomic_load_explicit(&h->count, memory_order_relaxed) >= map->def.max_entries &&
	    (!map->lru || map_lru_evict(map) < 0)) {
		r = -E2BIG;
		goto out;
	}
	s = alloc_slot(map);
	if (s < 0) {
		r = -E2BIG;
		goto out;
	}
	struct htab_elem *e = map_htab_elem(map, (uint32_t)s);
	uint32_t seq = atomic_load_explicit(&e->seq, memory_order_relaxed);
	atomic_store_explicit(&e->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	memcpy(e->key, key, map->def.key_size);
	atomic_store_explicit(&e->hash, hash, memory_order_relaxed);
	atomic_store_explicit(&e->ref, 0, memory_order_relaxed);
	fill_value(map, (uint32_t)s, value, from, cpu);
	atomic_store_explicit(&e->seq, seq + 2, memory_order_release);
	chain_insert(map, (uint32_t)s, hash);
	if (map->lru)
		map_lru_push_head(map, (uint32_t)s);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	if (old >= 0)
		map_htab_remove(map, (uint32_t)old);
out:
	map_unlock(&h->lock);
	return r;
}

int map_htab_delete(struct nyk_map *map, const void *key)
{
	struct htab_hdr *h = map_htab_hdr(map);
	long s;

	if (!key)
		return -EINVAL;
	uint32_t hash = map_htab_hash(map, key);
	map_lock(&h->lock);
	s = map_htab_find(map, key, hash, NULL);
	if (s >= 0)
		map_htab_remove(map, (uint32_t)s);
	map_unlock(&h->lock);
	return s < 0 ? -ENOENT : 0;
}

int map_htab_lookup_and_delete(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	struct htab_hdr *h = map_htab_hdr(map);
	long s;

	if (!key || ((flags & NYK_F_LOCK) && map->percpu))
		return -EINVAL;
	uint32_t hash = map_htab_hash(map, key);
	map_lock(&h->lock);
	s = map_htab_find(map, key, hash, NULL);
	if (s >= 0) {
		copy_out(map, (uint32_t)s, value, flags);
		map_htab_remove(map, (uint32_t)s);
	}
	map_unlock(&h->lock);
	return s < 0 ? -ENOENT : 0;
}

/* ---- iteration ------------------------------------------------------------------------------ */

int map_htab_get_next_key(struct nyk_map *map, const void *key, void *next_key)
{
	struct htab_hdr *h = map_htab_hdr(map);
	uint32_t b = 0, nb = map->bucket_mask + 1, link;
	int r = -ENOENT;

	map_lock(&h->lock);
	if (key) {
		long s = map_htab_find(map, key, map_htab_hash(map, key), NULL);
		if (s >= 0) {
			struct htab_elem *e = map_htab_elem(map, (uint32_t)s);
			link = atomic_load_explicit(&e->next, memory_order_relaxed);
			if (link && !(link & HTAB_NULLS) && link - 1 < map->nslots) {
				memcpy(next_key, map_htab_elem(map, link - 1)->key, map->def.key_size);
				r = 0;
				goto out;
			}
			b = (atomic_load_explicit(&e->hash, memory_order_relaxed) & map->bucket_mask) + 1;
		}
		/* A key that is gone: start again from the first (the kernel does). */
	}
	for (; b < nb; b++) {
		link = atomic_load_explicit(&map->buckets[b], memory_order_relaxed);
		if (link && !(link & HTAB_NULLS) && link - 1 < map->nslots) {
			memcpy(next_key, map_htab_elem(map, link - 1)->key, map->def.key_size);
			r = 0;
			break;
		}
	}
out:
	map_unlock(&h->lock);
	return r;
}

long map_htab_for_each(struct nyk_map *map, unsigned cpu, int (*fn)(void *, const void *, void *), void *ctx)
{
	uint32_t nb = map->bucket_mask + 1;
	long n = 0;

	cpu = map->percpu ? map_cpu(map, cpu) : 0;
	for (uint32_t b = 0; b < nb; b++) {
		uint32_t link = atomic_load_explicit(&map->buckets[b], memory_order_acquire), steps = 0;
		while (link && !(link & HTAB_NULLS)) {
			uint32_t s = link - 1;
			if (s >= map->nslots || ++steps > map->nslots)
				break;
			struct htab_elem *e = map_htab_elem(map, s);
			/* fn may delete this element: take the link first. */
			link = atomic_load_explicit(&e->next, memory_order_acquire);
			n++;
			if (fn(ctx, e->key, map_htab_value(map, s, cpu)))
				return n;
		}
	}
	return n;
}

void map_htab_each_slot(struct nyk_map *map, void (*fn)(struct nyk_map *, uint32_t))
{
	uint32_t nb = map->bucket_mask + 1;

	for (uint32_t b = 0; b < nb; b++) {
		uint32_t link = atomic_load_explicit(&map->buckets[b], memory_order_acquire), steps = 0;
		while (link && !(link & HTAB_NULLS)) {
			uint32_t s = link - 1;
			if (s >= map->nslots || ++steps > map->nslots)
				break;
			link = atomic_load_explicit(&map_htab_elem(map, s)->next, memory_order_acquire);
			fn(map, s);
		}
	}
}
