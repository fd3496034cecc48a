/*
 * htab.h - the hash table under hash, percpu_hash, lru_hash,
 * lru_percpu_hash and hash_of_maps (htab.c; LRU order in lru_hash.c).
 *
 * Layout after the type header: buckets (u32 each), elements (links, hash,
 * key), values (round_up(value_size, 8) each; per-CPU maps: one run of
 * every element's copy per CPU). Element i is slot i.
 *
 * Links are slot + 1 (0: none). A chain ends in a "nulls" value naming its
 * bucket (HTAB_NULLS | bucket), so a lock-free lookup that followed an
 * element into another bucket's chain (the element was deleted and reused
 * meanwhile) notices and starts again, as the kernel's hlist_nulls do. An
 * empty bucket holds 0. A deleted element keeps its chain link until it is
 * reused, so walks that stand on it go on. Free slots are reused oldest
 * first, after the never-used ones, to make that late, and there are a few
 * more slots than max_entries (HTAB_SLACK) so that a full map still has
 * some free.
 *
 * A slot's `seq` is a sequence lock around refilling it: odd while a new
 * key and value are written, even after. A lookup takes an element only
 * if seq was even and unchanged around the key comparison, and a copy of
 * its value (syscall-style lookup) only if unchanged around the copy, so
 * neither ever mixes two keys.
 */
#ifndef NYUKI_MAP_HTAB_H
#define NYUKI_MAP_HTAB_H

#include "maps/map_internal.h"

#define HTAB_NULLS 0x80000000u
#define HTAB_MAX_ENTRIES (1u << 30)
/* Free slots beyond max_entries: min(max_entries, HTAB_SLACK). */
#define HTAB_SLACK 64u

struct htab_hdr {
	_Atomic uint32_t lock;
	_Atomic uint32_t count;       /* elements in the map */
	uint32_t fresh;               /* slots from here on were never used */
	uint32_t free_head, free_tail;/* freed slots, oldest first */
	uint32_t lru_head, lru_tail;  /* LRU maps: most recently used first */
	uint32_t pad;
	uint64_t seed;
};

struct htab_elem {
	_Atomic uint32_t next;        /* chain link */
	_Atomic uint32_t hash;
	uint32_t lru_prev, lru_next;  /* LRU list; lru_next also links the free slots */
	_Atomic uint32_t ref;         /* LRU: used since it last moved */
	_Atomic uint32_t seq;         /* odd while the slot is being refilled for a new key */
	uint8_t key[];
};

static inline struct htab_hdr *map_htab_hdr(const struct nyk_map *map)
{
	return (struct htab_hdr *)map->tstate;
}

static inline struct htab_elem *map_htab_elem(const struct nyk_map *map, uint32_t slot)
{
	return (struct htab_elem *)(void *)(map->elems + (size_t)slot * map->elem_size);
}

static inline uint8_t *map_htab_value(const struct nyk_map *map, uint32_t slot, unsigned cpu)
{
	return map->values + (size_t)slot * map->vstride + (size_t)cpu * map->cpu_stride;
}

/* Which view an update comes from. */
enum htab_from { HTAB_SYSCALL, HTAB_PROGRAM };

int map_htab_check(const struct nyk_map_def *def, struct nyk_error *err);
int map_htab_layout(struct nyk_map *map, struct nyk_error *err);
int map_htab_init(struct nyk_map *map, struct nyk_error *err);
int map_htab_attach(struct nyk_map *map, struct nyk_error *err);

uint32_t map_htab_hash(const struct nyk_map *map, const void *key);
/* Slot of `key`, or -1. Lock-free. *seq (may be NULL) gets the slot's sequence number. */
long map_htab_find(struct nyk_map *map, const void *key, uint32_t hash, uint32_t *seq);
void *map_htab_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu);
int map_htab_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags);
int map_htab_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags, enum htab_from from,
		    unsigned cpu);
int map_htab_delete(struct nyk_map *map, const void *key);
int map_htab_lookup_and_delete(struct nyk_map *map, const void *key, void *value, uint64_t flags);
int map_htab_get_next_key(struct nyk_map *map, const void *key, void *next_key);
long map_htab_for_each(struct nyk_map *map, unsigned cpu, int (*fn)(void *, const void *, void *), void *ctx);
/* Call fn on every element's slot (no lock; for destruction). */
void map_htab_each_slot(struct nyk_map *map, void (*fn)(struct nyk_map *, uint32_t));

/* Under the lock: take an element out of its chain, the LRU list and the map. */
void map_htab_remove(struct nyk_map *map, uint32_t slot);

/* The hash maps' program-side and syscall-side updates (hash.c). */
int map_hash_update_elem(struct nyk_map *map, const void *key, const void *value, uint64_t flags, unsigned cpu);
int map_hash_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags);

/*
 * The operations table of every hash map type (hash.c, lru_hash.c): the
 * types differ only in their flags (per-CPU, LRU), which htab.c reads.
 */
#define MAP_HTAB_OPS(ident, tname, is_percpu)                               \
	const struct map_ops ident = {                                     \
		.name = tname,                                             \
		.shareable = true,                                         \
		.percpu = is_percpu,                                       \
		.check = map_htab_check,                                   \
		.layout = map_htab_layout,                                 \
		.init = map_htab_init,                                     \
		.attach = map_htab_attach,                                 \
		.lookup_ptr = map_htab_lookup_ptr,                         \
		.update_elem = map_hash_update_elem,                       \
		.delete_elem = map_htab_delete,                            \
		.lookup = map_htab_lookup,                                 \
		.update = map_hash_update,                                 \
		.lookup_and_delete = map_htab_lookup_and_delete,           \
		.get_next_key = map_htab_get_next_key,                     \
		.for_each = map_htab_for_each,                             \
	}

/* LRU order (lru_hash.c), under the lock. */
void map_lru_push_head(struct nyk_map *map, uint32_t slot);
void map_lru_unlink(struct nyk_map *map, uint32_t slot);
/* Evict the least recently used element; -E2BIG when none. */
int map_lru_evict(struct nyk_map *map);

#endif
