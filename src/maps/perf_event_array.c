/*
 * perf_event_array.c - BPF_MAP_TYPE_PERF_EVENT_ARRAY consumed in user space.
 *
 * In the kernel each slot holds a perf event (one per CPU, opened by the
 * consumer) whose ring receives bpf_perf_event_output's samples. Here each
 * slot has its own ring (ringbuf.c's record format) of perf_buf_size bytes
 * from creation, and nyk_perf_event_consume reads them all. A sample that
 * does not fit is dropped and counted as lost (-ENOSPC), as perf does.
 * As libbpf does, key_size and value_size 0 mean 4 and max_entries 0 means
 * one slot per CPU. The slots are not values: lookup and update are
 * -ENOTSUP; get_next_key walks the indexes.
 */
#include <errno.h>
#include <string.h>

#include "maps/map_internal.h"

#define PERF_DEFAULT_BUF (64u * 1024)

static int perf_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	return map_fd_array_check(def, NYK_F_PRESERVE_ELEMS, err);
}

static int perf_layout(struct nyk_map *map, struct nyk_error *err)
{
	size_t b = map->perf_buf_size ? map->perf_buf_size : PERF_DEFAULT_BUF;

	if (b < MAP_PAGE_SIZE || (b & (b - 1)) || b > (1ull << 32))
		return nyk_error_set(err, -EINVAL, "map '%s': perf buffer size %zu: must be a power of 2 from %u to 4 GiB",
				     map->name, b, MAP_PAGE_SIZE);
	map->perf_buf_size = b;
	map->elem_size = map_add(map_round_up(sizeof(struct map_ring), MAP_CACHELINE), b);
	map->type_size = map_mul(map->def.max_entries, map->elem_size);
	return 0;
}

static struct map_ring *ring_at(struct nyk_map *map, uint32_t i)
{
	return (struct map_ring *)(void *)((uint8_t *)map->tstate + (size_t)i * map->elem_size);
}

static uint8_t *data_at(struct nyk_map *map, uint32_t i)
{
	return (uint8_t *)ring_at(map, i) + map_round_up(sizeof(struct map_ring), MAP_CACHELINE);
}

static int perf_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	for (uint32_t i = 0; i < map->def.max_entries; i++)
		map_ring_init(ring_at(map, i), map->perf_buf_size);
	return 0;
}

static int perf_attach(struct nyk_map *map, struct nyk_error *err)
{
	for (uint32_t i = 0; i < map->def.max_entries; i++)
		if (ring_at(map, i)->mask != map->perf_buf_size - 1)
			return nyk_error_set(err, -EINVAL, "map '%s': corrupt perf buffer %u", map->name, i);
	return 0;
}

int nyk_perf_event_output(struct nyk_map *map, uint64_t flags, unsigned cpu, const void *data, uint64_t size,
			  const void *extra, uint64_t extra_size)
{
	uint64_t index;
	uint8_t *rec;

	if (!map || map->def.type != NYK_MAP_PERF_EVENT_ARRAY || (flags & ~NYK_F_INDEX_MASK) ||
	    (size && !data) || (extra_size && !extra) || size + extra_size < size)
		return -EINVAL;
	index = flags & NYK_F_INDEX_MASK;
	if (index == NYK_F_CURRENT_CPU)
		index = map_cpu(map, cpu);
	if (index >= map->def.max_entries)
		return -E2BIG;
	struct map_ring *ring = ring_at(map, (uint32_t)index);
	rec = map_ring_reserve(ring, data_at(map, (uint32_t)index), size + extra_size);
	if (!rec) {
		atomic_fetch_add_explicit(&ring->lost, 1, memory_order_relaxed);
		return -ENOSPC;
	}
	if (size)
		memcpy(rec, data, size);
	if (extra_size)
		memcpy(rec + size, extra, extra_size);
	map_ring_commit(rec, false);
	return 0;
}

struct perf_consume_ctx {
	int (*fn)(void *ctx, unsigned cpu, const void *data, size_t size);
	void *ctx;
	unsigned cpu;
	int stopped;
};

static int perf_sample(void *c, const void *data, size_t size)
{
	struct perf_consume_ctx *pc = c;
	int r = pc->fn(pc->ctx, pc->cpu, data, size);

	if (r)
		pc->stopped = 1;
	return r;
}

int nyk_perf_event_consume(struct nyk_map *map, int (*fn)(void *ctx, unsigned cpu, const void *data, size_t size),
			   void (*lost)(void *ctx, unsigned cpu, uint64_t count), void *ctx)
{
	struct perf_consume_ctx pc = { fn, ctx, 0, 0 };
	int total = 0;

	if (!map || map->def.type != NYK_MAP_PERF_EVENT_ARRAY || !fn)
		return -EINVAL;
	for (uint32_t i = 0; i < map->def.max_entries && !pc.stopped; i++) {
		struct map_ring *ring = ring_at(map, i);
		if (lost && atomic_load_explicit(&ring->lost, memory_order_relaxed)) {
			uint64_t n = atomic_exchange_explicit(&ring->lost, 0, memory_order_relaxed);
			if (n)
				lost(ctx, i, n);
		}
		pc.cpu = i;
		int n = map_ring_consume(ring, data_at(map, i), perf_sample, &pc);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

const struct map_ops map_perf_event_array_ops = {
	.name = "perf_event_array",
	.shareable = true,
	.check = perf_check,
	.layout = perf_layout,
	.init = perf_init,
	.attach = perf_attach,
	.get_next_key = map_array_get_next_key,
};
