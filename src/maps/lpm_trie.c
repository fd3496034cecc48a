/*
 * lpm_trie.c - BPF_MAP_TYPE_LPM_TRIE: longest-prefix match.
 *
 * Keys are struct bpf_lpm_trie_key: u32 prefixlen (host order) then
 * key_size - 4 bytes of data, most significant byte first (network order),
 * so max_prefixlen = 8 * (key_size - 4). Lookups return the entry with the
 * longest prefix that matches the key's first `prefixlen` bits (programs
 * pass max_prefixlen); update and delete act on the exact prefix.
 *
 * The structure is the kernel's: an unbalanced binary trie whose nodes
 * each hold a prefix; a node's children extend its prefix by at least one
 * bit, child[b] where the next bit is b. Where two prefixes part, an
 * intermediate node (no value, always two children) holds their common
 * prefix. Nodes and values live in slots of the block (at most
 * 2 * max_entries + 1 nodes and max_entries + 1 values), linked by slot + 1.
 * Freed slots are reused oldest first, so a program that still holds a
 * replaced value reads the old value for as long as possible.
 *
 * Lookups walk without the lock (atomic loads of the links; a node is
 * complete before it is linked). Changes take the map lock and replace
 * rather than edit a linked node, so a walk sees the trie before or after
 * the change. Each node has a sequence number, changed when it is refilled
 * or freed: a walk that finds it changed while reading a node starts over,
 * and a copy of a value counts only if its node did not change meanwhile.
 *
 * A full trie refuses new prefixes with -ENOSPC (the kernel's error);
 * replacing an existing prefix works when full. get_next_key goes in
 * post-order: a prefix comes after the more specific prefixes it holds.
 */
#include <errno.h>
#include <string.h>

#include "maps/map_internal.h"

#define LPM_IM 1u
#define LPM_DATA_MAX 256u
#define LPM_MAX_ENTRIES (1u << 30)

struct lpm_hdr {
	_Atomic uint32_t lock;
	_Atomic uint32_t root;
	uint32_t n_entries;
	uint32_t nnodes, nvalues;
	/* Slots: never used ones from *_fresh on, then freed ones oldest first (head..tail, slot + 1). */
	uint32_t node_fresh, node_head, node_tail;
	uint32_t val_fresh, val_head, val_tail;
};

struct lpm_node {
	_Atomic uint32_t child[2];
	_Atomic uint32_t flags;
	uint32_t prefixlen;
	uint32_t value;        /* value slot of a real node */
	uint32_t free_next;
	_Atomic uint32_t seq;  /* odd while refilled; +2 when freed or its value is freed */
	uint32_t pad;
	uint8_t data[];
};

static struct lpm_hdr *lpm(const struct nyk_map *map)
{
	return map->tstate;
}

static uint32_t data_size(const struct nyk_map *map)
{
	return map->def.key_size - 4;
}

static uint32_t max_prefixlen(const struct nyk_map *map)
{
	return 8 * data_size(map);
}

static struct lpm_node *node_at(const struct nyk_map *map, uint32_t link)
{
	return (struct lpm_node *)(void *)(map->elems + (size_t)(link - 1) * map->elem_size);
}

static uint8_t *value_at(const struct nyk_map *map, uint32_t slot)
{
	return map->values + (size_t)slot * map->vstride;
}

static inline unsigned bit_at(const uint8_t *data, uint32_t i)
{
	return (data[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Leading bits `node` and the key data share, at most min(prefix lengths). */
static uint32_t match_len(const struct nyk_map *map, const struct lpm_node *node, const uint8_t *kdata,
			  uint32_t kprefix)
{
	uint32_t limit = node->prefixlen < kprefix ? node->prefixlen : kprefix, bits = 0, n = data_size(map);

	for (uint32_t i = 0; i < n && bits < limit; i++) {
		unsigned d = node->data[i] ^ kdata[i];
		if (d) {
			while (!(d & 0x80)) {
				d <<= 1;
				bits++;
			}
			break;
		}
		bits += 8;
	}
	return bits < limit ? bits : limit;
}

static uint32_t key_prefixlen(const void *key)
{
	uint32_t p;

	memcpy(&p, key, 4);
	return p;
}

static bool link_ok(const struct nyk_map *map, uint32_t link)
{
	return link && link <= lpm(map)->nnodes;
}

/* ---- creation ---------------------------------------------------------------------- */

static int lpm_check(const struct nyk_map_def *def, struct nyk_error *err)
{
	int r;

	if (!(def->map_flags & NYK_F_NO_PREALLOC))
		return nyk_error_set(err, -EINVAL, "map '%s': lpm_trie maps need BPF_F_NO_PREALLOC", def->name);
	r = map_check_flags(def, NYK_F_NO_PREALLOC | NYK_F_NUMA_NODE | MAP_F_ACCESS_MASK, err);
	if (r < 0)
		return r;
	if (!def->max_entries || def->key_size < 5 || def->key_size > 4 + LPM_DATA_MAX || !def->value_size ||
	    def->value_size > MAP_KMALLOC_MAX - MAP_MAX_BPF_STACK - 32 - LPM_DATA_MAX)
		return nyk_error_set(err, -EINVAL, "map '%s': lpm_trie maps need max_entries > 0, key_size 5 to %u "
				     "(u32 prefixlen + data) and value_size > 0 (got %u, %u, %u)", def->name,
				     4 + LPM_DATA_MAX, def->max_entries, def->key_size, def->value_size);
	if (def->max_entries > LPM_MAX_ENTRIES)
		return nyk_error_set(err, -E2BIG, "map '%s': max_entries %u: at most %u", def->name, def->max_entries,
				     LPM_MAX_ENTRIES);
	return map_check_spin_lock(def, false, err);
}

static int lpm_layout(struct nyk_map *map, struct nyk_error *err)
{
	size_t off = map_round_up(sizeof(struct lpm_hdr), MAP_CACHELINE);
	uint32_t nnodes = 2 * map->def.max_entries + 1, nvalues = map->def.max_entries + 1;

	(void)err;
	map->elem_size = map_round8(sizeof(struct lpm_node) + data_size(map));
	map->offs[0] = off;
	off = map_add(off, map_round_up(map_mul(nnodes, map->elem_size), MAP_CACHELINE));
	map->offs[2] = off;
	off = map_add(off, map_round_up(map_mul(nvalues, 4), MAP_CACHELINE));
	map->offs[1] = off;
	map->values_len = map_mul(nvalues, map->vstride);
	map->type_size = map_add(off, map->values_len);
	map->nslots = nnodes;
	return 0;
}

static int lpm_init(struct nyk_map *map, struct nyk_error *err)
{
	(void)err;
	lpm(map)->nnodes = 2 * map->def.max_entries + 1;
	lpm(map)->nvalues = map->def.max_entries + 1;
	return 0;
}

static int lpm_attach(struct nyk_map *map, struct nyk_error *err)
{
	struct lpm_hdr *h = lpm(map);

	map->elems = (uint8_t *)map->tstate + map->offs[0];
	map->values = (uint8_t *)map->tstate + map->offs[1];
	map->local = (uint8_t *)map->tstate + map->offs[2];
	if (h->nnodes != map->nslots || h->nvalues != map->def.max_entries + 1 || h->node_fresh > h->nnodes ||
	    h->val_fresh > h->nvalues || h->node_head > h->nnodes || h->node_tail > h->nnodes ||
	    h->val_head > h->nvalues || h->val_tail > h->nvalues)
		return nyk_error_set(err, -EINVAL, "map '%s': corrupt lpm_trie header", map->name);
	return 0;
}

/* ---- lookups ------------------------------------------------------------------------ */

struct lpm_found {
	uint32_t link, seq, value;
};

/* The real node with the longest prefix matching the key (link 0: none). */
static struct lpm_found longest_match(struct nyk_map *map, const void *key)
{
	const uint8_t *kdata = (const uint8_t *)key + 4;
	uint32_t kprefix = key_prefixlen(key), maxp = max_prefixlen(map);
	struct lpm_found found;

	for (unsigned tries = 0; tries < 1000; tries++) {
		uint32_t link = atomic_load_explicit(&lpm(map)->root, memory_order_acquire), steps = 0;
		found = (struct lpm_found){ 0, 0, 0 };
		while (link_ok(map, link) && ++steps <= maxp + 1) {
			const struct lpm_node *n = node_at(map, link);
			uint32_t s1 = atomic_load_explicit(&n->seq, memory_order_acquire);
			uint32_t plen = n->prefixlen, value = n->value, m = match_len(map, n, kdata, kprefix), next = 0;
			bool im = atomic_load_explicit(&n->flags, memory_order_acquire) & LPM_IM;
			if (m != maxp && m >= plen && plen < maxp)
				next = atomic_load_explicit(&n->child[bit_at(kdata, plen)], memory_order_acquire);
			atomic_thread_fence(memory_order_acquire);
			if ((s1 & 1) || atomic_load_explicit(&n->seq, memory_order_relaxed) != s1)
				goto again;   /* refilled or freed under us */
			if (m == maxp) {
				if (!im)
					found = (struct lpm_found){ link, s1, value };
				break;
			}
			if (m < plen)
				break;
			if (!im)
				found = (struct lpm_found){ link, s1, value };
			link = next;
		}
		return found;
again:;
	}
	return (struct lpm_found){ 0, 0, 0 };
}

static void *lpm_lookup_ptr(struct nyk_map *map, const void *key, unsigned cpu)
{
	struct lpm_found f = longest_match(map, key);

	(void)cpu;
	return f.link && f.value < lpm(map)->nvalues ? value_at(map, f.value) : NULL;
}

static int lpm_lookup(struct nyk_map *map, const void *key, void *value, uint64_t flags)
{
	(void)flags;
	if (!key)
		return -EINVAL;
	for (unsigned tries = 0;; tries++) {
		struct lpm_found f = longest_match(map, key);
		if (!f.link || f.value >= lpm(map)->nvalues)
			return -ENOENT;
		memcpy(value, value_at(map, f.value), map->def.value_size);
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&node_at(map, f.link)->seq, memory_order_relaxed) == f.seq || tries > 1000)
			return 0;
	}
}

/* ---- node and value slots (under the lock) ------------------------------------------- */

/* A node's contents change: odd while refilled, then even again; +2 when freed. */
static void node_refill_begin(struct lpm_node *n)
{
	atomic_store_explicit(&n->seq, atomic_load_explicit(&n->seq, memory_order_relaxed) | 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
}

static void node_refill_end(struct lpm_node *n)
{
	atomic_store_explicit(&n->seq, atomic_load_explicit(&n->seq, memory_order_relaxed) + 1, memory_order_release);
}

static void node_touch(struct lpm_node *n)
{
	atomic_store_explicit(&n->seq, atomic_load_explicit(&n->seq, memory_order_relaxed) + 2, memory_order_release);
}

/* Value slot links of the free list. */
static uint32_t *vlink(struct nyk_map *map, uint32_t slot)
{
	return (uint32_t *)map->local + slot;
}

static uint32_t alloc_node(struct nyk_map *map)
{
	struct lpm_hdr *h = lpm(map);
	uint32_t link = 0;

	if (h->node_fresh < h->nnodes)
		return ++h->node_fresh;
	if (link_ok(map, h->node_head)) {
		link = h->node_head;
		h->node_head = node_at(map, link)->free_next;
		if (!link_ok(map, h->node_head))
			h->node_head = h->node_tail = 0;
	}
	return link;
}

static void release_node(struct nyk_map *map, uint32_t link)
{
	struct lpm_hdr *h = lpm(map);

	node_at(map, link)->free_next = 0;
	if (link_ok(map, h->node_tail))
		node_at(map, h->node_tail)->free_next = link;
	else
		h->node_head = link;
	h->node_tail = link;
}

static uint32_t alloc_value(struct nyk_map *map)
{
	struct lpm_hdr *h = lpm(map);
	uint32_t slot = UINT32_MAX;

	if (h->val_fresh < h->nvalues)
		return h->val_fresh++;
	if (h->val_head && h->val_head <= h->nvalues) {
		slot = h->val_head - 1;
		h->val_head = *vlink(map, slot);
		if (!h->val_head || h->val_head > h->nvalues)
			h->val_head = h->val_tail = 0;
	}
	return slot;
}

static void free_value(struct nyk_map *map, uint32_t slot)
{
	struct lpm_hdr *h = lpm(map);

	if (slot >= h->nvalues)
		return;
	*vlink(map, slot) = 0;
	if (h->val_tail && h->val_tail <= h->nvalues)
		*vlink(map, h->val_tail - 1) = slot + 1;
	else
		h->val_head = slot + 1;
	h->val_tail = slot + 1;
}

static void free_node(struct nyk_map *map, uint32_t link)
{
	struct lpm_node *n = node_at(map, link);

	if (!(atomic_load_explicit(&n->flags, memory_order_relaxed) & LPM_IM))
		free_value(map, n->value);
	node_touch(n);
	release_node(map, link);
}

/* A real node for `key` holding `value`, not yet linked; 0 when out of slots. */
static uint32_t new_node(struct nyk_map *map, const void *key, const void *value)
{
	uint32_t link = alloc_node(map), slot;
	struct lpm_node *n;

	if (!link)
		return 0;
	slot = alloc_value(map);
	n = node_at(map, link);
	if (slot == UINT32_MAX) {
		release_node(map, link);
		return 0;
	}
	node_refill_begin(n);
	memcpy(value_at(map, slot), value, map->def.value_size);
	n->prefixlen = key_prefixlen(key);
	memcpy(n->data, (const uint8_t *)key + 4, data_size(map));
	n->value = slot;
	atomic_store_explicit(&n->flags, 0, memory_order_relaxed);
	atomic_store_explicit(&n->child[0], 0, memory_order_relaxed);
	atomic_store_explicit(&n->child[1], 0, memory_order_relaxed);
	node_refill_end(n);
	return link;
}

/* ---- changes --------------------------------------------------------------------------- */

static int lpm_update_locked(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	struct lpm_hdr *h = lpm(map);
	const uint8_t *kdata = (const uint8_t *)key + 4;
	uint32_t kprefix = key_prefixlen(key), maxp = max_prefixlen(map), link, m = 0, nl, steps = 0;
	_Atomic uint32_t *slot = &h->root;
	struct lpm_node *n = NULL;

	/* Find where the prefix belongs. */
	while (link_ok(map, link = atomic_load_explicit(slot, memory_order_relaxed)) && ++steps <= maxp + 1) {
		n = node_at(map, link);
		m = match_len(map, n, kdata, kprefix);
		if (n->prefixlen != m || n->prefixlen == kprefix || n->prefixlen == maxp)
			break;
		slot = &n->child[bit_at(kdata, n->prefixlen)];
	}
	if (!link_ok(map, link)) {
		if (flags == NYK_EXIST)
			return -ENOENT;
		if (h->n_entries >= map->def.max_entries)
			return -ENOSPC;
		if (!(nl = new_node(map, key, value)))
			return -ENOSPC;
		atomic_store_explicit(slot, nl, memory_order_release);
		h->n_entries++;
		return 0;
	}
	if (n->prefixlen == m && m == kprefix) {
		/* This very prefix: replace the node (an intermediate one becomes real). */
		bool im = atomic_load_explicit(&n->flags, memory_order_relaxed) & LPM_IM;
		if (im && flags == NYK_EXIST)
			return -ENOENT;
		if (!im && flags == NYK_NOEXIST)
			return -EEXIST;
		if (im && h->n_entries >= map->def.max_entries)
			return -ENOSPC;
		if (!(nl = new_node(map, key, value)))
			return -ENOSPC;
		struct lpm_node *nn = node_at(map, nl);
		atomic_store_explicit(&nn->child[0], atomic_load_explicit(&n->child[0], memory_order_relaxed),
				      memory_order_relaxed);
		atomic_store_explicit(&nn->child[1], atomic_load_explicit(&n->child[1], memory_order_relaxed),
				      memory_order_relaxed);
		atomic_store_explicit(slot, nl, memory_order_release);
		free_node(map, link);
		if (im)
			h->n_entries++;
		return 0;
	}
	if (flags == NYK_EXIST)
		return -ENOENT;
	if (h->n_entries >= map->def.max_entries)
		return -ENOSPC;
	if (!(nl = new_node(map, key, value)))
		return -ENOSPC;
	struct lpm_node *nn = node_at(map, nl);
	if (m == kprefix) {
		/* The new prefix contains the node's: it becomes its parent. */
		atomic_store_explicit(&nn->child[bit_at(n->data, m)], link, memory_order_relaxed);
		atomic_store_explicit(slot, nl, memory_order_release);
	} else {
		/* They part after m bits: an intermediate node holds both. */
		uint32_t il = alloc_node(map);
		if (!il) {
			free_node(map, nl);
			return -ENOSPC;
		}
		struct lpm_node *im = node_at(map, il);
		unsigned b = bit_at(kdata, m);
		node_refill_begin(im);
		im->prefixlen = m;
		memcpy(im->data, n->data, data_size(map));
		im->value = UINT32_MAX;
		atomic_store_explicit(&im->flags, LPM_IM, memory_order_relaxed);
		atomic_store_explicit(&im->child[b], nl, memory_order_relaxed);
		atomic_store_explicit(&im->child[!b], link, memory_order_relaxed);
		node_refill_end(im);
		atomic_store_explicit(slot, il, memory_order_release);
	}
	h->n_entries++;
	return 0;
}

static int lpm_update(struct nyk_map *map, const void *key, const void *value, uint64_t flags)
{
	int r;

	if (!key || flags > NYK_EXIST)
		return -EINVAL;
	if (key_prefixlen(key) > max_prefixlen(map))
		return -EINVAL;
	map_lock(&lpm(map)->lock);
	r = lpm_update_locked(map, key, value, flags);
	map_unlock(&lpm(map)->lock);
	return r;
}

static int lpm_delete_locked(struct nyk_map *map, const void *key)
{
	struct lpm_hdr *h = lpm(map);
	const uint8_t *kdata = (const uint8_t *)key + 4;
	uint32_t kprefix = key_prefixlen(key), maxp = max_prefixlen(map), link, parent = 0, m = 0, steps = 0;
	_Atomic uint32_t *trim = &h->root, *trim2 = trim;
	struct lpm_node *n = NULL;

	while (link_ok(map, link = atomic_load_explicit(trim, memory_order_relaxed)) && ++steps <= maxp + 1) {
		n = node_at(map, link);
		m = match_len(map, n, kdata, kprefix);
		if (n->prefixlen != m || n->prefixlen == kprefix)
			break;
		parent = link;
		trim2 = trim;
		trim = &n->child[bit_at(kdata, n->prefixlen)];
	}
	if (!link_ok(map, link) || n->prefixlen != kprefix || m != kprefix ||
	    (atomic_load_explicit(&n->flags, memory_order_relaxed) & LPM_IM))
		return -ENOENT;
	h->n_entries--;
	uint32_t c0 = atomic_load_explicit(&n->child[0], memory_order_relaxed);
	uint32_t c1 = atomic_load_explicit(&n->child[1], memory_order_relaxed);
	if (c0 && c1) {
		/* Two children: it stays, as an intermediate node. */
		atomic_store_explicit(&n->flags, LPM_IM, memory_order_release);
		free_value(map, n->value);   /* n->value stays: a walk that saw the node real reads the old value */
		node_touch(n);
		return 0;
	}
	if (parent && !c0 && !c1 && (atomic_load_explicit(&node_at(map, parent)->flags, memory_order_relaxed) & LPM_IM)) {
		/* A leaf under an intermediate node: the node's other child takes the parent's place. */
		struct lpm_node *p = node_at(map, parent);
		uint32_t other = atomic_load_explicit(&p->child[0], memory_order_relaxed) == link
					 ? atomic_load_explicit(&p->child[1], memory_order_relaxed)
					 : atomic_load_explicit(&p->child[0], memory_order_relaxed);
		atomic_store_explicit(trim2, other, memory_order_release);
		free_node(map, parent);
		free_node(map, link);
		return 0;
	}
	atomic_store_explicit(trim, c0 ? c0 : c1, memory_order_release);
	free_node(map, link);
	return 0;
}

static int lpm_delete(struct nyk_map *map, const void *key)
{
	int r;

	if (!key)
		return -EINVAL;
	if (key_prefixlen(key) > max_prefixlen(map))
		return -EINVAL;
	map_lock(&lpm(map)->lock);
	r = lpm_delete_locked(map, key);
	map_unlock(&lpm(map)->lock);
	return r;
}

/* ---- iteration ---------------------------------------------------------------------------- */

/* First node of a subtree in post-order: down the left-most path to a leaf. */
static uint32_t leftmost(struct nyk_map *map, uint32_t link)
{
	for (uint32_t steps = 0; steps <= max_prefixlen(map) + 1; steps++) {
		struct lpm_node *n = node_at(map, link);
		uint32_t c = atomic_load_explicit(&n->child[0], memory_order_relaxed);
		if (!link_ok(map, c))
			c = atomic_load_explicit(&n->child[1], memory_order_relaxed);
		if (!link_ok(map, c))
			break;
		link = c;
	}
	return link;
}

static int lpm_get_next_key_locked(struct nyk_map *map, const void *key, void *next_key)
{
	uint32_t stack[LPM_DATA_MAX * 8 + 2], depth = 0, maxp = max_prefixlen(map), root, link, next = 0;

	root = atomic_load_explicit(&lpm(map)->root, memory_order_relaxed);
	if (!link_ok(map, root))
		return -ENOENT;
	if (key && key_prefixlen(key) <= maxp) {
		const uint8_t *kdata = (const uint8_t *)key + 4;
		uint32_t kprefix = key_prefixlen(key), m = 0;
		struct lpm_node *n = NULL;
		for (link = root; link_ok(map, link) && depth <= maxp;) {
			stack[depth++] = link;
			n = node_at(map, link);
			m = match_len(map, n, kdata, kprefix);
			if (n->prefixlen != m || n->prefixlen == kprefix)
				break;
			link = atomic_load_explicit(&n->child[bit_at(kdata, n->prefixlen)], memory_order_relaxed);
		}
		if (depth && link_ok(map, link) && n->prefixlen == kprefix && m == kprefix &&
		    !(atomic_load_explicit(&n->flags, memory_order_relaxed) & LPM_IM)) {
			/* Found: the next node in post-order. */
			uint32_t cur = stack[--depth];
			while (depth) {
				uint32_t par = stack[depth - 1];
				struct lpm_node *p = node_at(map, par);
				uint32_t right = atomic_load_explicit(&p->child[1], memory_order_relaxed);
				if (atomic_load_explicit(&p->child[0], memory_order_relaxed) == cur && link_ok(map, right)) {
					next = leftmost(map, right);
					break;
				}
				if (!(atomic_load_explicit(&p->flags, memory_order_relaxed) & LPM_IM)) {
					next = par;
					break;
				}
				cur = par;
				depth--;
			}
			if (!next)
				return -ENOENT;
		}
	}
	if (!next)
		next = leftmost(map, root);   /* no key, or one not in the trie: the first */
	struct lpm_node *n = node_at(map, next);
	memcpy(next_key, &n->prefixlen, 4);
	memcpy((uint8_t *)next_key + 4, n->data, data_size(map));
	return 0;
}

static int lpm_get_next_key(struct nyk_map *map, const void *key, void *next_key)
{
	int r;

	map_lock(&lpm(map)->lock);
	r = lpm_get_next_key_locked(map, key, next_key);
	map_unlock(&lpm(map)->lock);
	return r;
}

const struct map_ops map_lpm_trie_ops = {
	.name = "lpm_trie",
	.shareable = true,
	.check = lpm_check,
	.layout = lpm_layout,
	.init = lpm_init,
	.attach = lpm_attach,
	.lookup_ptr = lpm_lookup_ptr,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete_elem = lpm_delete,
	.get_next_key = lpm_get_next_key,
};
