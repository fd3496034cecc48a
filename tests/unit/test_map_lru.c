/*
 * test_map_lru.c - LRU hash maps: which element goes when the map is full.
 */
#include "test_map.h"

static int present(struct nyk_map *m, uint32_t k)
{
	uint64_t v[4];

	return nyk_map_lookup(m, &k, v) == 0;
}

static int put(struct nyk_map *m, uint32_t k)
{
	uint64_t v = k;

	return nyk_map_update(m, &k, &v, NYK_ANY);
}

TEST(map_lru_evicts_the_oldest_first)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_HASH, 4, 8, 4, 0, 1);

	CHECK(m);
	for (uint32_t k = 1; k <= 4; k++)
		CHECK_EQ(put(m, k), 0);
	CHECK_EQ(put(m, 5), 0);
	CHECK(!present(m, 1));
	CHECK(present(m, 2) && present(m, 3) && present(m, 4) && present(m, 5));
	CHECK_EQ(put(m, 6), 0);
	CHECK(!present(m, 2));
	CHECK_EQ(count_keys(m), 4);
	nyk_map_destroy(m);
}

TEST(map_lru_program_lookups_keep_an_element)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_HASH, 4, 8, 4, 0, 1);
	uint32_t k;

	CHECK(m);
	for (k = 1; k <= 4; k++)
		CHECK_EQ(put(m, k), 0);
	k = 1;
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) != NULL);
	CHECK_EQ(put(m, 5), 0);
	CHECK(present(m, 1));
	CHECK(!present(m, 2));
	/* 3 is used now: 4 is the least recently used. */
	k = 3;
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) != NULL);
	CHECK_EQ(put(m, 6), 0);
	CHECK(!present(m, 4));
	CHECK(present(m, 1) && present(m, 3) && present(m, 5) && present(m, 6));
	nyk_map_destroy(m);
}

TEST(map_lru_syscall_lookups_do_not_count)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_HASH, 4, 8, 4, 0, 1);

	CHECK(m);
	for (uint32_t k = 1; k <= 4; k++)
		CHECK_EQ(put(m, k), 0);
	CHECK(present(m, 1));   /* nyk_map_lookup, as bpf(2) */
	CHECK_EQ(put(m, 5), 0);
	CHECK(!present(m, 1));
	nyk_map_destroy(m);
}

TEST(map_lru_updates_refresh)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_HASH, 4, 8, 4, 0, 1);

	CHECK(m);
	for (uint32_t k = 1; k <= 4; k++)
		CHECK_EQ(put(m, k), 0);
	CHECK_EQ(put(m, 1), 0);   /* replace: most recent now, and nothing evicted */
	CHECK_EQ(count_keys(m), 4);
	CHECK_EQ(put(m, 5), 0);
	CHECK(present(m, 1));
	CHECK(!present(m, 2));
	/* NOEXIST on a full LRU map evicts too; EXIST on a missing key does not. */
	uint32_t k = 9;
	uint64_t v = 0;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_EXIST), -ENOENT);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_NOEXIST), 0);
	CHECK(!present(m, 3));
	CHECK_EQ(count_keys(m), 4);
	/* Deleting makes room without evicting. */
	k = 4;
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(put(m, 10), 0);
	CHECK(present(m, 5) && present(m, 1) && present(m, 9) && present(m, 10));
	nyk_map_destroy(m);
}

TEST(map_lru_stays_within_max_entries)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_HASH, 4, 8, 64, 0, 1);
	uint32_t x = 12345;

	CHECK(m);
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t k = (x >> 8) % 1000;
		if (i % 5 == 0) {
			CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) || 1);
		} else if (i % 11 == 0) {
			int r = nyk_map_delete(m, &k);
			CHECK(r == 0 || r == -ENOENT);
		} else {
			CHECK_EQ(put(m, k), 0);
		}
	}
	long n = count_keys(m);
	CHECK(n > 0 && n <= 64);
	/* The last 64 distinct keys inserted without deletes in between are all there. */
	for (uint32_t k = 5000; k < 5064; k++)
		CHECK_EQ(put(m, k), 0);
	for (uint32_t k = 5000; k < 5064; k++)
		CHECK(present(m, k));
	CHECK_EQ(count_keys(m), 64);
	nyk_map_destroy(m);
}

TEST(map_lru_percpu)
{
	struct nyk_map *m = mk_map(NYK_MAP_LRU_PERCPU_HASH, 4, 8, 2, 0, 2);
	uint64_t all[2] = { 1, 2 }, out[2], one = 5;
	uint32_t k;

	CHECK(m);
	CHECK_EQ(nyk_map_value_size_user(m), 16);
	k = 1;
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_ANY), 0);
	uint64_t *p = nyk_map_lookup_elem_ptr(m, &k, 1);
	CHECK(p && *p == 2);
	/* In place, and it counts as used. */
	CHECK_EQ(nyk_map_update_elem(m, &k, &one, NYK_ANY, 1), 0);
	CHECK_EQ(*p, 5);
	k = 2;
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_ANY), 0);
	k = 3;
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_ANY), 0);
	k = 1;
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK(out[0] == 1 && out[1] == 5);
	k = 2;
	CHECK_EQ(nyk_map_lookup(m, &k, out), -ENOENT);
	nyk_map_destroy(m);
}
