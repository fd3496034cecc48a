/*
 * test_map_lpm.c - LPM tries: longest-prefix match for IPv4 and IPv6,
 * exact updates and deletes, intermediate nodes, post-order iteration, and
 * a random workload checked against a list of prefixes.
 */
#include "test_map.h"

struct k4 {
	uint32_t prefixlen;
	uint8_t a[4];
};

struct k6 {
	uint32_t prefixlen;
	uint8_t a[16];
};

static struct k4 v4(unsigned a, unsigned b, unsigned c, unsigned d, uint32_t len)
{
	struct k4 k = { len, { (uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d } };
	return k;
}

static struct nyk_map *mk_lpm(uint32_t data, uint32_t max)
{
	return mk_map(NYK_MAP_LPM_TRIE, 4 + data, 4, max, NYK_F_NO_PREALLOC, 1);
}

/* Value of the longest match for an address, or -1. */
static long match4(struct nyk_map *m, unsigned a, unsigned b, unsigned c, unsigned d)
{
	struct k4 k = v4(a, b, c, d, 32);
	uint32_t v;
	uint32_t *p = nyk_map_lookup_elem_ptr(m, &k, 0);
	int r = nyk_map_lookup(m, &k, &v);

	if (r < 0)
		return p ? -2 : -1;
	return p && *p == v ? (long)v : -3;
}

static int add4(struct nyk_map *m, struct k4 k, uint32_t v, uint64_t flags)
{
	return nyk_map_update(m, &k, &v, flags);
}

TEST(map_lpm_ipv4_longest_prefix)
{
	struct nyk_map *m = mk_lpm(4, 16);

	CHECK(m);
	CHECK_EQ(match4(m, 10, 0, 0, 1), -1);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, NYK_ANY), 0);
	CHECK_EQ(add4(m, v4(10, 0, 10, 0, 24), 2, NYK_ANY), 0);
	CHECK_EQ(add4(m, v4(10, 0, 10, 123, 32), 3, NYK_ANY), 0);
	CHECK_EQ(match4(m, 10, 0, 10, 123), 3);
	CHECK_EQ(match4(m, 10, 0, 10, 200), 2);
	CHECK_EQ(match4(m, 10, 12, 0, 1), 1);
	CHECK_EQ(match4(m, 12, 0, 0, 1), -1);
	CHECK_EQ(match4(m, 11, 0, 10, 123), -1);
	/* A default route. */
	CHECK_EQ(add4(m, v4(0, 0, 0, 0, 0), 9, NYK_ANY), 0);
	CHECK_EQ(match4(m, 12, 0, 0, 1), 9);
	CHECK_EQ(match4(m, 10, 0, 10, 123), 3);
	/* A lookup key's prefix length limits the match. */
	struct k4 k = v4(10, 0, 10, 123, 16);
	uint32_t v;
	CHECK_EQ(nyk_map_lookup(m, &k, &v), 0);
	CHECK_EQ(v, 1);
	k.prefixlen = 24;
	CHECK_EQ(nyk_map_lookup(m, &k, &v), 0);
	CHECK_EQ(v, 2);
	/* Bits past a stored prefix do not matter. */
	CHECK_EQ(add4(m, v4(192, 168, 77, 99, 16), 4, NYK_ANY), 0);
	CHECK_EQ(match4(m, 192, 168, 1, 1), 4);
	nyk_map_destroy(m);
}

TEST(map_lpm_exact_updates_and_deletes)
{
	struct nyk_map *m = mk_lpm(4, 3);
	struct k4 k;
	uint32_t v;

	CHECK(m);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, NYK_EXIST), -ENOENT);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, NYK_NOEXIST), 0);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, NYK_NOEXIST), -EEXIST);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 5, NYK_EXIST), 0);
	CHECK_EQ(match4(m, 10, 1, 2, 3), 5);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 33), 1, NYK_ANY), -EINVAL);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, 3), -EINVAL);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 8), 1, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(add4(m, v4(10, 0, 0, 0, 9), 2, NYK_ANY), 0);
	CHECK_EQ(add4(m, v4(10, 128, 0, 0, 9), 3, NYK_ANY), 0);
	/* Full: a new prefix is refused, an existing one is replaced. */
	CHECK_EQ(add4(m, v4(11, 0, 0, 0, 8), 4, NYK_ANY), -ENOSPC);
	CHECK_EQ(add4(m, v4(10, 128, 0, 0, 9), 6, NYK_ANY), 0);
	CHECK_EQ(match4(m, 10, 200, 0, 0), 6);
	/* Delete is exact. */
	k = v4(10, 0, 0, 0, 10);
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	k = v4(10, 0, 0, 0, 33);
	CHECK_EQ(nyk_map_delete(m, &k), -EINVAL);
	k = v4(10, 0, 0, 0, 8);
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	CHECK_EQ(match4(m, 10, 1, 0, 0), 2);
	CHECK_EQ(match4(m, 10, 200, 0, 0), 6);
	k = v4(10, 0, 0, 0, 8);
	CHECK_EQ(nyk_map_lookup(m, &k, &v), -ENOENT);
	CHECK_EQ(add4(m, v4(11, 0, 0, 0, 8), 4, NYK_ANY), 0);
	CHECK_EQ(count_keys(m), 3);
	nyk_map_destroy(m);
}

TEST(map_lpm_intermediate_nodes)
{
	struct nyk_map *m = mk_lpm(4, 8);
	struct k4 k;

	CHECK(m);
	/* Two /24s part at bit 23: an intermediate /23 holds them. */
	CHECK_EQ(add4(m, v4(192, 168, 0, 0, 24), 1, NYK_ANY), 0);
	CHECK_EQ(add4(m, v4(192, 168, 1, 0, 24), 2, NYK_ANY), 0);
	CHECK_EQ(match4(m, 192, 168, 0, 5), 1);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	CHECK_EQ(match4(m, 192, 168, 2, 1), -1);
	k = v4(192, 168, 0, 0, 23);
	uint32_t v;
	CHECK_EQ(nyk_map_lookup(m, &k, &v), -ENOENT);   /* the intermediate node is no entry */
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	CHECK_EQ(add4(m, v4(192, 168, 0, 0, 23), 3, NYK_EXIST), -ENOENT);
	CHECK_EQ(count_keys(m), 2);
	/* Adding the /23 itself makes the node real. */
	CHECK_EQ(add4(m, v4(192, 168, 0, 0, 23), 3, NYK_NOEXIST), 0);
	CHECK_EQ(match4(m, 192, 168, 0, 5), 1);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	CHECK_EQ(count_keys(m), 3);
	/* Deleting a node with two children leaves an intermediate node. */
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, &v), -ENOENT);
	CHECK_EQ(match4(m, 192, 168, 0, 5), 1);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	/* Deleting a leaf under an intermediate node removes both. */
	k = v4(192, 168, 0, 0, 24);
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(match4(m, 192, 168, 0, 5), -1);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	CHECK_EQ(count_keys(m), 1);
	/* A prefix above an existing one becomes its parent. */
	CHECK_EQ(add4(m, v4(192, 0, 0, 0, 8), 7, NYK_ANY), 0);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	CHECK_EQ(match4(m, 192, 168, 0, 5), 7);
	/* A node with one child: deleting it keeps the child. */
	k = v4(192, 0, 0, 0, 8);
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(match4(m, 192, 168, 1, 5), 2);
	CHECK_EQ(match4(m, 192, 168, 0, 5), -1);
	k = v4(192, 168, 1, 0, 24);
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(count_keys(m), 0);
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &k), -ENOENT);
	nyk_map_destroy(m);
}

TEST(map_lpm_get_next_key_is_post_order)
{
	struct nyk_map *m = mk_lpm(4, 8);
	struct k4 k, want[] = { v4(192, 168, 0, 0, 24), v4(192, 168, 1, 0, 24), v4(192, 168, 128, 0, 24),
				v4(192, 168, 0, 0, 16) };
	int r;

	CHECK(m);
	/* The kernel's example, inserted in another order. */
	CHECK_EQ(add4(m, want[3], 1, NYK_ANY), 0);
	CHECK_EQ(add4(m, want[2], 1, NYK_ANY), 0);
	CHECK_EQ(add4(m, want[0], 1, NYK_ANY), 0);
	CHECK_EQ(add4(m, want[1], 1, NYK_ANY), 0);
	r = nyk_map_get_next_key(m, NULL, &k);
	for (size_t i = 0; i < 4; i++) {
		CHECK_EQ(r, 0);
		CHECK_MSG(!memcmp(&k, &want[i], sizeof(k)), "step %zu: %u.%u.%u.%u/%u", i, k.a[0], k.a[1], k.a[2],
			  k.a[3], k.prefixlen);
		r = nyk_map_get_next_key(m, &k, &k);
	}
	CHECK_EQ(r, -ENOENT);
	/* A key that is not there: the first. */
	k = v4(1, 2, 3, 4, 32);
	CHECK_EQ(nyk_map_get_next_key(m, &k, &k), 0);
	CHECK(!memcmp(&k, &want[0], sizeof(k)));
	k = v4(1, 2, 3, 4, 40);
	CHECK_EQ(nyk_map_get_next_key(m, &k, &k), 0);
	CHECK(!memcmp(&k, &want[0], sizeof(k)));
	nyk_map_destroy(m);
}

TEST(map_lpm_ipv6)
{
	struct nyk_map *m = mk_lpm(16, 16);
	struct k6 k = { 0 };
	uint32_t v;

	CHECK(m);
	/* 2001:db8::/32 -> 1, 2001:db8:1::/48 -> 2, ::/0 -> 3, 2001:db8:1::1/128 -> 4 */
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	memcpy(k.a, a, 16);
	k.prefixlen = 32;
	v = 1;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	k.a[5] = 1;
	k.prefixlen = 48;
	v = 2;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	k.a[15] = 1;
	k.prefixlen = 128;
	v = 4;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	memset(&k, 0, sizeof(k));
	v = 3;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	k.prefixlen = 129;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), -EINVAL);

	struct {
		uint8_t a5, a15, a3;
		uint32_t want;
	} q[] = { { 1, 1, 0xb8, 4 }, { 1, 2, 0xb8, 2 }, { 2, 1, 0xb8, 1 }, { 1, 1, 0xb9, 3 } };
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		memcpy(k.a, a, 16);
		k.a[3] = q[i].a3;
		k.a[5] = q[i].a5;
		k.a[15] = q[i].a15;
		k.prefixlen = 128;
		CHECK_EQ(nyk_map_lookup(m, &k, &v), 0);
		CHECK_MSG(v == q[i].want, "query %zu: %u, want %u", i, v, q[i].want);
	}
	CHECK_EQ(count_keys(m), 4);
	nyk_map_destroy(m);
}

/* ---- a random workload against a list ------------------------------------------- */

struct pfx {
	uint32_t addr, len, value;
	int live;
};

static int covers(const struct pfx *p, uint32_t addr)
{
	return p->len == 0 || ((p->addr ^ addr) >> (32 - p->len)) == 0;
}

static struct k4 key_of(uint32_t addr, uint32_t len)
{
	return v4(addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255, len);
}

TEST(map_lpm_random_against_a_list)
{
	enum { N = 300 };
	static struct pfx list[N];
	struct nyk_map *m = mk_lpm(4, N);
	uint32_t x = 99;

	CHECK(m);
	memset(list, 0, sizeof(list));
	for (int round = 0; round < 6000; round++) {
		x = x * 1664525u + 1013904223u;
		/* Addresses from a few clusters so that prefixes nest and part. */
		uint32_t addr = (x & 0xc0ff0f0f) ^ 0x0a000000;
		uint32_t len = (x >> 5) % 33;
		x = x * 1664525u + 1013904223u;
		int op = (int)(x % 4);
		addr = len ? addr & ~(uint32_t)((1ull << (32 - len)) - 1) : 0;
		int found = -1, free_slot = -1;
		for (int i = 0; i < N; i++) {
			if (list[i].live && list[i].addr == addr && list[i].len == len)
				found = i;
			if (!list[i].live && free_slot < 0)
				free_slot = i;
		}
		struct k4 k = key_of(addr, len);
		if (op < 2) {
			uint32_t v = (uint32_t)round;
			int r = nyk_map_update(m, &k, &v, NYK_ANY);
			if (found >= 0) {
				CHECK_EQ(r, 0);
				list[found].value = v;
			} else if (free_slot >= 0) {
				CHECK_EQ(r, 0);
				list[free_slot] = (struct pfx){ addr, len, v, 1 };
			} else {
				CHECK_EQ(r, -ENOSPC);
			}
		} else if (op == 2) {
			int r = nyk_map_delete(m, &k);
			CHECK_EQ(r, found >= 0 ? 0 : -ENOENT);
			if (found >= 0)
				list[found].live = 0;
		}
		/* Check a few lookups against the list. */
		for (int j = 0; j < 4; j++) {
			x = x * 1664525u + 1013904223u;
			uint32_t q = (x & 0xc0ff0f0f) ^ 0x0a000000 ^ (x & 0x00f00000);
			int best = -1;
			for (int i = 0; i < N; i++)
				if (list[i].live && covers(&list[i], q) && (best < 0 || list[i].len > list[best].len))
					best = i;
			struct k4 qk = key_of(q, 32);
			uint32_t v;
			int r = nyk_map_lookup(m, &qk, &v);
			if (best < 0) {
				CHECK_MSG(r == -ENOENT, "round %d: %08x found %u", round, q, v);
			} else {
				CHECK_MSG(r == 0 && v == list[best].value, "round %d: %08x: r %d v %u want %u", round, q,
					  r, v, list[best].value);
			}
		}
	}
	/* Iteration: every live prefix once, each after every prefix it contains. */
	long live = 0;
	for (int i = 0; i < N; i++)
		live += list[i].live;
	CHECK_EQ(count_keys(m), live);
	static struct k4 order[N];
	long n = 0;
	struct k4 k;
	for (int r = nyk_map_get_next_key(m, NULL, &k); r == 0 && n < N; r = nyk_map_get_next_key(m, &k, &k))
		order[n++] = k;
	CHECK_EQ(n, live);
	for (long i = 0; i < n; i++)
		for (long j = i + 1; j < n; j++) {
			/* order[j] must not lie inside order[i]'s prefix with a longer length */
			uint32_t ai = (uint32_t)order[i].a[0] << 24 | (uint32_t)order[i].a[1] << 16 |
				      (uint32_t)order[i].a[2] << 8 | order[i].a[3];
			uint32_t aj = (uint32_t)order[j].a[0] << 24 | (uint32_t)order[j].a[1] << 16 |
				      (uint32_t)order[j].a[2] << 8 | order[j].a[3];
			struct pfx pi = { ai, order[i].prefixlen, 0, 1 };
			CHECK_MSG(!(covers(&pi, aj) && order[j].prefixlen > order[i].prefixlen),
				  "%08x/%u before %08x/%u", ai, order[i].prefixlen, aj, order[j].prefixlen);
		}
	nyk_map_destroy(m);
}
