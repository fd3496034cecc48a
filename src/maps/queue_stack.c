/*
 * queue_stack.c - BPF_MAP_TYPE_QUEUE (first in, first out) and
 * BPF_MAP_TYPE_STACK (last in, first out).
 *
 * A ring of max_entries + 1 value slots with head (next push) and tail
 * (oldest), under the map lock. Push on a full map fails with -E2BIG, or
 * with BPF_EXIST drops the oldest element to make room (both types, as in
 * the kernel). Pop and peek give -ENOENT when empty. No keys: the
 * syscall-style update pushes, lookup peeks, lookup_and_delete pops;
 * delete and get_next_key are -EINVAL.
 */
#include <errno.h>
#include <string.h>

#include "maps/map_internal.h"

struct qs_hdr {
	_Atomic uint32_t lock;
	uint32_t head, tail, size;
};

static struct qs_hdr *qs(struct nyk_map *map)
{
	return map->tstate;
}

static int qs_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	int r;

	if (!def->max_entries || def->key_size || !def->value_size)
		return nyk_error_set(err, -EINVAL, "map '%s': %s maps need max_entries > 0, key_size 0 and "
				     "value_size > 0 (got %u, %u, %u)", def->name, nyk_map_type_name(def->type),
				     def->max_entries, def->key_size, def->value_size);
	r = map_check_flags(def, NYK_F_NUMA_NODE | MAP_F_ACCESS_MASK, err);
	if (r < 0)
		return r;
	if (def->value_size > MAP_KMALLOC_MAX || def->max_entries >= (1u << 31))
		return nyk_error_set(err, -E2BIG, "map '%s': %u entries of %u bytes are too big", def->name,
				     def->max_entries, def->value_size);
	return map_check_spin_lock(def, false, err);
}

static int qs_layout(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	map->nslots = map->def.max_entries + 1;
	map->offs[0] = MAP_CACHELINE;
	map->type_size = map_add(MAP_CACHELINE, map_mul(map->nslots, map->vstride));
	return 0;
}

static int qs_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	qs(map)->size = map->nslots;
	return 0;
}

static int qs_attach(struct nyk_map *map, struct nyk_error *err)
{
	struct qs_hdr *q = qs(map);

	map->elems = (uint8_t *)map->tstate + map->offs[0];
	if (q->size != map->nslots || q->head >= q->size || q->tail >= q->size)
		return nyk_error_set(err, -EINVAL, "map '%s': corrupt queue header", map->name);
	return 0;
}

static int qs_push(struct nyk_map *map, const void *value, uint64_t flags)
{
	struct qs_hdr *q = qs(map);
	int r = 0;

	if ((flags & NYK_NOEXIST) || flags > NYK_EXIST)
		return -EINVAL;
	map_lock(&q->lock);
	uint32_t next = q->head + 1 == q->size ? 0 : q->head + 1;
	if (next == q->tail) {
		if (flags != NYK_EXIST) {
			r = -E2BIG;
			goto out;
		}
		/* Full: drop the oldest. */
		q->tail = q->tail + 1 == q->size ? 0 : q->tail + 1;
	}
	memcpy(map->elems + (size_t)q->head * map->vstride, value, map->def.value_size);
	q->head = next;
out:
	map_unlock(&q->lock);
	return r;
}

static int qs_pop(struct nyk_map *map, void *value, bool remove)
{
	struct qs_hdr *q = qs(map);
	uint32_t i;
	int r = 0;

	map_lock(&q->lock);
	if (q->head == q->tail) {
		r = -ENOENT;
		goto out;
	}
	if (map->def.type == NYK_MAP_QUEUE) {
		i = q->tail;
		if (remove)
			q->tail = i + 1 == q->size ? 0 : i + 1;
	} else {
		i = q->head ? q->head - 1 : q->size - 1;
		if (remove)
			q->head = i;
	}
	memcpy(value, map->elems + (size_t)i * map->vstride, map->def.value_size);
out:
	map_unlock(&q->lock);
	return r;
}

static int qs_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	(void)key;
	(void)flags;
	return qs_pop(map, value, false);
}

#define QS_OPS(ident, tname)                     \
	const struct map_ops ident = {           \
		.name = tname,                   \
		.shareable = true,               \
		.check = qs_check,               \
		.layout = qs_layout,             \
		.init = qs_init,                 \
		.attach = qs_attach,             \
		.lookup = qs_lookup,             \
		.push = qs_push,                 \
		.pop = qs_pop,                   \
	}

QS_OPS(map_queue_ops, "queue");
QS_OPS(map_stack_ops, "stack");
