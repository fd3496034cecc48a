/*
 * ringbuf.c - BPF_MAP_TYPE_RINGBUF, and the ring both it and
 * perf_event_array use.
 *
 * As in the kernel: a data area of 2^n bytes, a producer position and a
 * consumer position that only grow (offset = position & mask), and records
 * of an 8-byte header (u32 length | BUSY | DISCARD, u32 offset of the header
 * in the data) plus the sample, 8-byte aligned. Producers reserve under the
 * ring's lock: the header is written BUSY, then the producer position
 * advances (release). Submit and discard clear BUSY (release) without the
 * lock, in any order. The consumer reads records from its position in
 * order, stops at a BUSY one, skips DISCARD ones, and advances its position
 * (release), which frees the space.
 *
 * The kernel maps the data twice so that a record may wrap around the end;
 * here a record that would not fit before the end is preceded by a
 * discarded padding record to the end, so each record is contiguous. A
 * reservation therefore needs its size plus that padding free.
 */
#include <errno.h>
#include <string.h>

#include "maps/map_internal.h"

struct ring_hdr {
	_Atomic uint32_t len;
	uint32_t pg_off;
};

#define RING_MAX_RECORD (UINT32_MAX / 4)

void map_ring_init(struct map_ring *ring, uint64_t size)
{
	ring->mask = size - 1;
}

void *map_ring_reserve(struct map_ring *ring, uint8_t *data, uint64_t size)
{
	uint64_t ring_size = ring->mask + 1, len, prod, cons, off, pad;
	struct ring_hdr *h;

	if (size > RING_MAX_RECORD)
		return NULL;
	len = map_round8(size + NYK_RINGBUF_HDR_SZ);
	if (len > ring_size)
		return NULL;
	map_lock(&ring->lock);
	prod = atomic_load_explicit(&ring->producer_pos, memory_order_relaxed);
	cons = atomic_load_explicit(&ring->consumer_pos, memory_order_acquire);
	off = prod & ring->mask;
	pad = off + len > ring_size ? ring_size - off : 0;
	if (prod + pad + len - cons > ring_size || cons > prod) {
		map_unlock(&ring->lock);
		return NULL;
	}
	if (pad) {
		h = (struct ring_hdr *)(void *)(data + off);
		h->pg_off = (uint32_t)off;
		atomic_store_explicit(&h->len, (uint32_t)(pad - NYK_RINGBUF_HDR_SZ) | NYK_RINGBUF_DISCARD_BIT,
				      memory_order_relaxed);
		prod += pad;
		off = 0;
	}
	h = (struct ring_hdr *)(void *)(data + off);
	h->pg_off = (uint32_t)off;
	atomic_store_explicit(&h->len, (uint32_t)size | NYK_RINGBUF_BUSY_BIT, memory_order_relaxed);
	atomic_store_explicit(&ring->producer_pos, prod + len, memory_order_release);
	map_unlock(&ring->lock);
	return h + 1;
}

void map_ring_commit(void *sample, bool discard)
{
	struct ring_hdr *h = (struct ring_hdr *)sample - 1;
	uint32_t len = atomic_load_explicit(&h->len, memory_order_relaxed) & ~NYK_RINGBUF_BUSY_BIT;

	if (discard)
		len |= NYK_RINGBUF_DISCARD_BIT;
	atomic_store_explicit(&h->len, len, memory_order_release);
}

bool map_ring_owns(const struct map_ring *ring, const uint8_t *data, const void *sample)
{
	const uint8_t *p = sample;
	uint64_t off;

	if (p < data + NYK_RINGBUF_HDR_SZ || p > data + ring->mask + 1)
		return false;
	off = (uint64_t)(p - data) - NYK_RINGBUF_HDR_SZ;
	if (off % 8)
		return false;
	const struct ring_hdr *h = (const struct ring_hdr *)(const void *)(data + off);
	return h->pg_off == off && (atomic_load_explicit(&h->len, memory_order_relaxed) & NYK_RINGBUF_BUSY_BIT);
}

int map_ring_consume(struct map_ring *ring, uint8_t *data, int (*fn)(void *, const void *, size_t), void *ctx)
{
	uint64_t cons = atomic_load_explicit(&ring->consumer_pos, memory_order_acquire), prod;
	uint64_t ring_size = ring->mask + 1;
	int n = 0;

	for (;;) {
		prod = atomic_load_explicit(&ring->producer_pos, memory_order_acquire);
		if (cons >= prod)
			return n;
		while (cons < prod) {
			uint64_t off = cons & ring->mask;
			struct ring_hdr *h = (struct ring_hdr *)(void *)(data + off);
			uint32_t len = atomic_load_explicit(&h->len, memory_order_acquire);
			if (len & NYK_RINGBUF_BUSY_BIT)
				return n;
			uint64_t size = len & ~(NYK_RINGBUF_BUSY_BIT | NYK_RINGBUF_DISCARD_BIT);
			uint64_t adv = map_round8(size + NYK_RINGBUF_HDR_SZ);
			if (off + adv > ring_size || cons + adv > prod)
				return -EINVAL;
			int stop = 0;
			if (!(len & NYK_RINGBUF_DISCARD_BIT)) {
				n++;
				stop = fn(ctx, h + 1, (size_t)size);
			}
			cons += adv;
			atomic_store_explicit(&ring->consumer_pos, cons, memory_order_release);
			if (stop)
				return n;
		}
	}
}

/* ---- the map type ------------------------------------------------------------- */

static struct map_ring *ring_of(struct nyk_map *map)
{
	return map->tstate;
}

static int ringbuf_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	uint32_t n = def->max_entries;
	int r;

	if (def->key_size || def->value_size)
		return nyk_error_set(err, -EINVAL, "map '%s': ringbuf maps take key_size 0 and value_size 0 (got %u, %u)",
				     def->name, def->key_size, def->value_size);
	if (!n || (n & (n - 1)) || n % MAP_PAGE_SIZE)
		return nyk_error_set(err, -EINVAL, "map '%s': ringbuf max_entries %u: must be a power of 2 and a "
				     "multiple of %u", def->name, n, MAP_PAGE_SIZE);
	r = map_check_flags(def, NYK_F_NUMA_NODE, err);
	if (r < 0)
		return r;
	return map_check_spin_lock(def, false, err);
}

static int ringbuf_layout(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map->offs[0] = map_round_up(sizeof(struct map_ring), MAP_CACHELINE);
	map->values_len = map->def.max_entries;
	map->type_size = map_add(map->offs[0], map->values_len);
	return 0;
}

static int ringbuf_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map_ring_init(ring_of(map), map->def.max_entries);
	return 0;
}

static int ringbuf_attach(struct nyk_map *map, struct nyk_error *err)
{
	map->values = (uint8_t *)map->tstate + map->offs[0];
	if (ring_of(map)->mask != (uint64_t)map->def.max_entries - 1)
		return nyk_error_set(err, -EINVAL, "map '%s': corrupt ring buffer header", map->name);
	return 0;
}

static bool is_ringbuf(const struct nyk_map *map)
{
	return map && map->def.type == NYK_MAP_RINGBUF;
}

void *nyk_ringbuf_reserve(struct nyk_map *map, uint64_t size, uint64_t flags)
{
	if (!is_ringbuf(map) || flags)
		return NULL;
	return map_ring_reserve(ring_of(map), map->values, size);
}

static int commit(struct nyk_map *map, void *data, bool discard)
{
	if (!data)
		return -EINVAL;
	if (map && (!is_ringbuf(map) || !map_ring_owns(ring_of(map), map->values, data)))
		return -EINVAL;
	map_ring_commit(data, discard);
	return 0;
}

int nyk_ringbuf_submit(struct nyk_map *map, void *data, uint64_t flags)
{
	(void)flags;
	return commit(map, data, false);
}

int nyk_ringbuf_discard(struct nyk_map *map, void *data, uint64_t flags)
{
	(void)flags;
	return commit(map, data, true);
}

int nyk_ringbuf_output(struct nyk_map *map, const void *data, uint64_t size, uint64_t flags)
{
	void *rec;

	if (!is_ringbuf(map) || (flags & ~(uint64_t)(NYK_RB_NO_WAKEUP | NYK_RB_FORCE_WAKEUP)) || (size && !data))
		return -EINVAL;
	rec = map_ring_reserve(ring_of(map), map->values, size);
	if (!rec)
		return -EAGAIN;
	if (size)
		memcpy(rec, data, size);
	map_ring_commit(rec, false);
	return 0;
}

uint64_t nyk_ringbuf_query(struct nyk_map *map, uint64_t flags)
{
	struct map_ring *r;
	uint64_t cons, prod;

	if (!is_ringbuf(map))
		return 0;
	r = ring_of(map);
	cons = atomic_load_explicit(&r->consumer_pos, memory_order_acquire);
	prod = atomic_load_explicit(&r->producer_pos, memory_order_acquire);
	switch (flags) {
	case NYK_RB_AVAIL_DATA: return prod - cons;
	case NYK_RB_RING_SIZE: return r->mask + 1;
	case NYK_RB_CONS_POS: return cons;
	case NYK_RB_PROD_POS: return prod;
	default: return 0;
	}
}

int nyk_ringbuf_consume(struct nyk_map *map, int (*fn)(void *ctx, const void *data, size_t size), void *ctx)
{
	if (!is_ringbuf(map) || !fn)
		return -EINVAL;
	return map_ring_consume(ring_of(map), map->values, fn, ctx);
}

const struct map_ops map_ringbuf_ops = {
	.name = "ringbuf",
	.shareable = true,
	.check = ringbuf_check,
	.layout = ringbuf_layout,
	.init = ringbuf_init,
	.attach = ringbuf_attach,
};
