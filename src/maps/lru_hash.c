/*
 * lru_hash.c - the order of BPF_MAP_TYPE_LRU_HASH and LRU_PERCPU_HASH: a
 * list of elements, most recently used first, under the map lock.
 *
 * An update (insert or replace) puts the element at the head. A lookup
 * from a program marks it used (one relaxed store, no lock), as the
 * kernel's reference bit does. When a new key finds the map full, the
 * element at the tail goes - unless it was used since it got there: then it
 * moves to the head, unmarked, and the next one is tried (second chance).
 * So the evicted element is the least recently inserted or updated among
 * those no program looked up since; syscall-style lookups do not count as
 * use, as in the kernel. Exactly one element is evicted per insertion (the
 * kernel frees elements in batches per CPU and may evict earlier).
 * BPF_F_NO_COMMON_LRU is accepted; the list stays common.
 */
#include <errno.h>

#include "maps/htab.h"

static void set_prev(struct nyk_map *map, uint32_t link, uint32_t prev)
{
	if (link)
		map_htab_elem(map, link - 1)->lru_prev = prev;
	else
		map_htab_hdr(map)->lru_tail = prev;
}

void map_lru_push_head(struct nyk_map *map, uint32_t s)
{
	struct htab_hdr *h = map_htab_hdr(map);
	struct htab_elem *e = map_htab_elem(map, s);

	e->lru_prev = 0;
	e->lru_next = h->lru_head;
	set_prev(map, h->lru_head, s + 1);
	h->lru_head = s + 1;
}

void map_lru_unlink(struct nyk_map *map, uint32_t s)
{
	struct htab_hdr *h = map_htab_hdr(map);
	struct htab_elem *e = map_htab_elem(map, s);

	if (e->lru_prev > map->nslots || e->lru_next > map->nslots)
		return;   /* corrupt shared file */
	if (e->lru_prev)
		map_htab_elem(map, e->lru_prev - 1)->lru_next = e->lru_next;
	else if (h->lru_head == s + 1)
		h->lru_head = e->lru_next;
	set_prev(map, e->lru_next, e->lru_prev);
	e->lru_prev = e->lru_next = 0;
}

int map_lru_evict(struct nyk_map *map)
{
	struct htab_hdr *h = map_htab_hdr(map);

	/* Every used element is unmarked on its way: at most two rounds. */
	for (uint64_t steps = 0; h->lru_tail && h->lru_tail <= map->nslots && steps <= 2ull * map->nslots; steps++) {
		uint32_t s = h->lru_tail - 1;
		struct htab_elem *e = map_htab_elem(map, s);
		if (atomic_load_explicit(&e->ref, memory_order_relaxed)) {
			atomic_store_explicit(&e->ref, 0, memory_order_relaxed);
			map_lru_unlink(map, s);
			map_lru_push_head(map, s);
			continue;
		}
		map_htab_remove(map, s);
		return 0;
	}
	return -E2BIG;
}

/* The same operations as the plain hash maps: LRU order lives in the updates and lookups of htab.c. */
MAP_HTAB_OPS(map_lru_hash_ops, "lru_hash", false);
MAP_HTAB_OPS(map_lru_percpu_hash_ops, "lru_percpu_hash", true);
