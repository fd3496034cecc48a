/*
 * test_map.c - maps: names, creation checks, arrays, hash maps, flags,
 * permissions, ids, iteration, regions.
 */
#include "test_map.h"
#include "nyuki/vm.h"

TEST(map_type_names)
{
	CHECK_STR(nyk_map_type_name(NYK_MAP_HASH), "hash");
	CHECK_STR(nyk_map_type_name(NYK_MAP_RINGBUF), "ringbuf");
	CHECK_STR(nyk_map_type_name(NYK_MAP_LRU_PERCPU_HASH), "lru_percpu_hash");
	CHECK_STR(nyk_map_type_name(15), "sockmap");
	CHECK(nyk_map_type_name(0) == NULL);
	CHECK(nyk_map_type_name(999) == NULL);
	CHECK_EQ(nyk_map_type_by_name("lru_percpu_hash"), NYK_MAP_LRU_PERCPU_HASH);
	CHECK_EQ(nyk_map_type_by_name("BPF_MAP_TYPE_HASH"), NYK_MAP_HASH);
	CHECK_EQ(nyk_map_type_by_name("bpf_map_type_array_of_maps"), NYK_MAP_ARRAY_OF_MAPS);
	CHECK_EQ(nyk_map_type_by_name("Stack"), NYK_MAP_STACK);
	CHECK_EQ(nyk_map_type_by_name("nope"), -ENOENT);
	CHECK_EQ(nyk_map_type_by_name(""), -ENOENT);
}

TEST(map_create_checks_the_definition)
{
	struct {
		struct nyk_map_def d;
		int err;
	} cases[] = {
		{ { .type = 999, .key_size = 4, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = 15, .key_size = 4, .value_size = 4, .max_entries = 1 }, -ENOTSUP },
		{ { .type = NYK_MAP_ARRAY, .key_size = 8, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 0 }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 0, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1, .map_flags = 1u << 20 },
		  -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_RDONLY | NYK_F_WRONLY }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -EINVAL },
		{ { .type = NYK_MAP_PERCPU_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_MMAPABLE }, -EINVAL },
		{ { .type = NYK_MAP_PERCPU_ARRAY, .key_size = 4, .value_size = 40000, .max_entries = 1 }, -E2BIG },
		{ { .type = NYK_MAP_HASH, .key_size = 0, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 4, .max_entries = 0 }, -EINVAL },
		{ { .type = NYK_MAP_HASH, .key_size = 600, .value_size = 4, .max_entries = 1 }, -E2BIG },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8u << 20, .max_entries = 1 }, -E2BIG },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_COMMON_LRU }, -EINVAL },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_MMAPABLE }, -EINVAL },
		{ { .type = NYK_MAP_LRU_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -ENOTSUP },
		{ { .type = NYK_MAP_PERCPU_HASH, .key_size = 4, .value_size = 40000, .max_entries = 1 }, -E2BIG },
		{ { .type = NYK_MAP_PERCPU_HASH, .key_size = 4, .value_size = 8, .max_entries = 1, .has_spin_lock = 1 },
		  -ENOTSUP },
		{ { .type = NYK_MAP_LRU_HASH, .key_size = 4, .value_size = 8, .max_entries = 1, .has_spin_lock = 1 },
		  -ENOTSUP },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8, .max_entries = 1, .has_spin_lock = 1,
		    .spin_lock_off = 6 }, -EINVAL },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8, .max_entries = 1, .has_spin_lock = 1,
		    .spin_lock_off = 8 }, -EINVAL },
		{ { .type = NYK_MAP_LPM_TRIE, .key_size = 8, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_LPM_TRIE, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -EINVAL },
		{ { .type = NYK_MAP_LPM_TRIE, .key_size = 261, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -EINVAL },
		{ { .type = NYK_MAP_LPM_TRIE, .key_size = 8, .value_size = 0, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -EINVAL },
		{ { .type = NYK_MAP_RINGBUF, .key_size = 0, .value_size = 0, .max_entries = 5000 }, -EINVAL },
		{ { .type = NYK_MAP_RINGBUF, .key_size = 0, .value_size = 0, .max_entries = 2048 }, -EINVAL },
		{ { .type = NYK_MAP_RINGBUF, .key_size = 4, .value_size = 0, .max_entries = 4096 }, -EINVAL },
		{ { .type = NYK_MAP_RINGBUF, .key_size = 0, .value_size = 0, .max_entries = 4096,
		    .map_flags = NYK_F_RDONLY_PROG }, -EINVAL },
		{ { .type = NYK_MAP_QUEUE, .key_size = 4, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_STACK, .key_size = 0, .value_size = 0, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_STACK, .key_size = 0, .value_size = 4, .max_entries = 0 }, -EINVAL },
		{ { .type = NYK_MAP_QUEUE, .key_size = 0, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC }, -EINVAL },
		{ { .type = NYK_MAP_PROG_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_RDONLY_PROG }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY_OF_MAPS, .key_size = 4, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_HASH_OF_MAPS, .key_size = 4, .value_size = 4, .max_entries = 1 }, -EINVAL },
		{ { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 }, 0 },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_PREALLOC | NYK_F_ZERO_SEED | NYK_F_NUMA_NODE }, 0 },
		{ { .type = NYK_MAP_LRU_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
		    .map_flags = NYK_F_NO_COMMON_LRU }, 0 },
		{ { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8, .max_entries = 1, .has_spin_lock = 1,
		    .spin_lock_off = 4 }, 0 },
		{ { .type = NYK_MAP_PERF_EVENT_ARRAY }, 0 },
	};
	char msg[NYK_ERROR_MSG_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cases[i].d.name = "m";
		int r = create_err(&cases[i].d, msg, sizeof(msg));
		CHECK_MSG(r == cases[i].err, "case %zu (type %u): got %d, want %d (%s)", i, cases[i].d.type, r,
			  cases[i].err, msg);
	}
	struct nyk_map *m = (struct nyk_map *)1;
	CHECK_EQ(nyk_map_create(NULL, NULL, &m, NULL), -EINVAL);
	CHECK(m == NULL);
	struct nyk_map_def d = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 };
	struct nyk_map_opts o = { .size = sizeof(o), .nr_cpus = 5000 };
	CHECK_EQ(nyk_map_create(&d, &o, &m, NULL), -EINVAL);
}

TEST(map_create_error_names_the_map)
{
	struct nyk_map_def d = { .type = NYK_MAP_HASH, .key_size = 0, .value_size = 4, .max_entries = 1,
				 .name = "flows" };
	char msg[NYK_ERROR_MSG_MAX];

	CHECK_EQ(create_err(&d, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG(strstr(msg, "flows") && strstr(msg, "key_size"), "%s", msg);
	d.type = 42;
	CHECK_EQ(create_err(&d, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG(strstr(msg, "42"), "%s", msg);
}

TEST(map_array_semantics)
{
	struct nyk_map *m = mk_map(NYK_MAP_ARRAY, 4, 12, 5, 0, 1);
	uint8_t v[12], out[12];
	uint32_t k = 0, next;

	CHECK(m);
	CHECK_EQ(nyk_map_value_size_user(m), 12);
	memset(v, 0xab, sizeof(v));
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK_EQ(out[0], 0);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_EXIST), 0);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_NOEXIST), -EEXIST);
	CHECK_EQ(nyk_map_update(m, &k, v, 3), -EINVAL);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_F_LOCK), -EINVAL);   /* no bpf_spin_lock */
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK(!memcmp(out, v, 12));
	k = 5;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), -E2BIG);
	CHECK_EQ(nyk_map_lookup(m, &k, out), -ENOENT);
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) == NULL);
	CHECK_EQ(nyk_map_delete(m, &k), -EINVAL);
	k = 0;
	CHECK_EQ(nyk_map_delete(m, &k), -EINVAL);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, out, 0), -ENOTSUP);

	/* Values are contiguous, 8-byte strided, written in place. */
	uint8_t *p0 = nyk_map_lookup_elem_ptr(m, &k, 0);
	k = 3;
	uint8_t *p3 = nyk_map_lookup_elem_ptr(m, &k, 7);
	CHECK(p0 && p3);
	CHECK_EQ(p3 - p0, 3 * 16);
	CHECK_EQ((uintptr_t)p0 % 8, 0);
	p3[0] = 42;
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK_EQ(out[0], 42);
	CHECK_EQ(nyk_map_update_elem(m, &k, v, NYK_ANY, 0), 0);
	CHECK_EQ(p3[0], 0xab);

	/* Keys in index order; a key out of range starts over. */
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &next), 0);
	CHECK_EQ(next, 0);
	k = 3;
	CHECK_EQ(nyk_map_get_next_key(m, &k, &next), 0);
	CHECK_EQ(next, 4);
	k = 4;
	CHECK_EQ(nyk_map_get_next_key(m, &k, &next), -ENOENT);
	k = 99;
	CHECK_EQ(nyk_map_get_next_key(m, &k, &next), 0);
	CHECK_EQ(next, 0);
	CHECK_EQ(count_keys(m), 5);
	nyk_map_destroy(m);
}

TEST(map_percpu_array_views)
{
	struct nyk_map *m = mk_map(NYK_MAP_PERCPU_ARRAY, 4, 4, 4, 0, 3);
	uint32_t k = 2, all[6] = { 10, 0xdead, 11, 0xdead, 12, 0xdead }, out[6], one = 99;

	CHECK(m);
	CHECK_EQ(nyk_map_nr_cpus(m), 3);
	CHECK_EQ(nyk_map_value_size_user(m), 3 * 8);
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_ANY), 0);
	for (unsigned c = 0; c < 3; c++) {
		uint32_t *p = nyk_map_lookup_elem_ptr(m, &k, c);
		CHECK(p);
		CHECK_EQ(*p, 10 + c);
	}
	/* A CPU past nr_cpus wraps around. */
	CHECK_EQ(*(uint32_t *)nyk_map_lookup_elem_ptr(m, &k, 4), 11);
	CHECK_EQ(nyk_map_update_elem(m, &k, &one, NYK_ANY, 1), 0);
	memset(out, 0, sizeof(out));
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK_EQ(out[0], 10);
	CHECK_EQ(out[2], 99);
	CHECK_EQ(out[4], 12);
	CHECK_EQ(out[1], 0xdead);   /* the padding of each copy goes through, as bpf(2) does */
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_NOEXIST), -EEXIST);
	/* The copies of different CPUs are apart (no false sharing between CPUs of one element). */
	uint8_t *c0 = nyk_map_lookup_elem_ptr(m, &k, 0), *c1 = nyk_map_lookup_elem_ptr(m, &k, 1);
	CHECK_EQ(c1 - c0, 4 * 8);
	nyk_map_destroy(m);
}

TEST(map_hash_semantics)
{
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 8, 16, 3, 0, 1);
	uint64_t k, v[2] = { 1, 2 }, out[2];

	CHECK(m);
	k = 7;
	CHECK_EQ(nyk_map_lookup(m, &k, out), -ENOENT);
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) == NULL);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_EXIST), -ENOENT);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_NOEXIST), 0);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_NOEXIST), -EEXIST);
	CHECK_EQ(nyk_map_update(m, &k, v, 3), -EINVAL);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK(out[0] == 1 && out[1] == 2);
	k = 8;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	k = 9;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	k = 10;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), -E2BIG);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_NOEXIST), -E2BIG);
	/* Replacing works when full. */
	k = 9;
	v[0] = 5;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_EXIST), 0);
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	CHECK_EQ(count_keys(m), 3);
	k = 10;
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	k = 8;
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	k = 10;
	CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	CHECK_EQ(count_keys(m), 3);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, out, 0), 0);
	CHECK_EQ(out[0], 5);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, out, 0), -ENOENT);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, out, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(count_keys(m), 2);
	nyk_map_destroy(m);
}

TEST(map_hash_pointers_stay_with_their_element)
{
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 4, 8, 16, 0, 1);
	uint32_t a = 1, b = 2;
	uint64_t v = 100, w;

	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &a, &v, NYK_ANY), 0);
	uint64_t *pa = nyk_map_lookup_elem_ptr(m, &a, 0);
	CHECK(pa && *pa == 100);
	CHECK_EQ((uintptr_t)pa % 8, 0);
	/* Other keys come and go: the pointer is still a's value. */
	for (int i = 0; i < 40; i++) {
		uint32_t k = 10 + (uint32_t)i % 7;
		v = (uint64_t)i;
		CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
		if (i % 3 == 0)
			CHECK_EQ(nyk_map_delete(m, &k), 0);
	}
	CHECK_EQ(*pa, 100);
	CHECK(nyk_map_lookup_elem_ptr(m, &a, 0) == pa);
	/* Writes through the pointer are the map's value. */
	*pa = 101;
	CHECK_EQ(nyk_map_lookup(m, &a, &w), 0);
	CHECK_EQ(w, 101);
	/* An update replaces the element: the old pointer keeps the old value. */
	v = 200;
	CHECK_EQ(nyk_map_update(m, &a, &v, NYK_ANY), 0);
	CHECK_EQ(*pa, 101);
	uint64_t *pa2 = nyk_map_lookup_elem_ptr(m, &a, 0);
	CHECK(pa2 && pa2 != pa && *pa2 == 200);
	/* Deleting it leaves the memory in place (it may be reused later). */
	CHECK_EQ(nyk_map_update(m, &b, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_delete(m, &a), 0);
	CHECK_EQ(*pa2, 200);
	nyk_map_destroy(m);
}

static int region_cb(void *ctx, void *addr, size_t len, unsigned flags)
{
	struct {
		uint8_t *addr;
		size_t len;
		unsigned flags;
		int n;
	} *r = ctx;
	r->addr = addr;
	r->len = len;
	r->flags = flags;
	r->n++;
	return 0;
}

TEST(map_regions_cover_the_values)
{
	struct {
		uint8_t *addr;
		size_t len;
		unsigned flags;
		int n;
	} r = { 0 };
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 4, 12, 100, 0, 1);
	uint32_t k;
	uint8_t v[12] = { 0 };

	CHECK(m);
	CHECK_EQ(nyk_map_for_each_region(m, region_cb, &r), 0);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.flags, NYK_MEM_READ | NYK_MEM_WRITE);
	for (k = 0; k < 100; k++)
		CHECK_EQ(nyk_map_update(m, &k, v, NYK_ANY), 0);
	for (k = 0; k < 100; k++) {
		uint8_t *p = nyk_map_lookup_elem_ptr(m, &k, 0);
		CHECK(p >= r.addr && p + 12 <= r.addr + r.len);
	}
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_ARRAY, 4, 12, 10, NYK_F_RDONLY_PROG, 1);
	CHECK(m);
	r.n = 0;
	CHECK_EQ(nyk_map_for_each_region(m, region_cb, &r), 0);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.len, 10 * 16);
	CHECK_EQ(r.flags, NYK_MEM_READ);
	k = 0;
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) == r.addr);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_PERCPU_HASH, 4, 4, 10, NYK_F_WRONLY_PROG, 4);
	CHECK(m);
	r.n = 0;
	CHECK_EQ(nyk_map_for_each_region(m, region_cb, &r), 0);
	CHECK_EQ(r.n, 1);
	CHECK(r.len >= 10 * 8 * 4 && r.len % (8 * 4) == 0);
	CHECK_EQ(r.flags, NYK_MEM_WRITE);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_QUEUE, 0, 4, 10, 0, 1);
	CHECK(m);
	r.n = 0;
	CHECK_EQ(nyk_map_for_each_region(m, region_cb, &r), 0);
	CHECK_EQ(r.n, 0);
	nyk_map_destroy(m);
}

TEST(map_hash_key_sizes)
{
	static const uint32_t sizes[] = { 1, 3, 4, 5, 8, 13, 16, 64, 512 };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint32_t ks = sizes[s];
		struct nyk_map *m = mk_map(NYK_MAP_HASH, ks, 4, 300, 0, 1);
		uint8_t key[512];
		uint32_t v, out;
		CHECK(m);
		for (uint32_t i = 0; i < 256; i++) {
			memset(key, 0, ks);
			key[ks - 1] = (uint8_t)i;
			if (ks > 1)
				key[0] = (uint8_t)(i * 7);
			v = i;
			CHECK_EQ(nyk_map_update(m, key, &v, NYK_NOEXIST), 0);
		}
		for (uint32_t i = 0; i < 256; i++) {
			memset(key, 0, ks);
			key[ks - 1] = (uint8_t)i;
			if (ks > 1)
				key[0] = (uint8_t)(i * 7);
			CHECK_EQ(nyk_map_lookup(m, key, &out), 0);
			CHECK_EQ(out, i);
		}
		CHECK_EQ(count_keys(m), 256);
		nyk_map_destroy(m);
	}
}

TEST(map_hash_get_next_key_visits_every_key_once)
{
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 4, 4, 1000, 0, 1);
	static uint8_t seen[1000];
	uint32_t k, next, v = 0;
	int r;

	CHECK(m);
	for (k = 0; k < 1000; k++)
		CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	memset(seen, 0, sizeof(seen));
	for (r = nyk_map_get_next_key(m, NULL, &next); r == 0; r = nyk_map_get_next_key(m, &k, &next)) {
		CHECK(next < 1000 && !seen[next]);
		seen[next] = 1;
		k = next;
	}
	CHECK_EQ(r, -ENOENT);
	for (k = 0; k < 1000; k++)
		CHECK(seen[k]);

	/* Delete each key after stepping past it: every key is still visited once. */
	memset(seen, 0, sizeof(seen));
	r = nyk_map_get_next_key(m, NULL, &next);
	while (r == 0) {
		k = next;
		CHECK(!seen[k]);
		seen[k] = 1;
		r = nyk_map_get_next_key(m, &k, &next);
		CHECK_EQ(nyk_map_delete(m, &k), 0);
	}
	CHECK_EQ(r, -ENOENT);
	for (k = 0; k < 1000; k++)
		CHECK(seen[k]);
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &next), -ENOENT);

	/* A key that is gone: the walk starts again from the first key. */
	for (k = 0; k < 10; k++)
		CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	uint32_t first, second;
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &first), 0);
	CHECK_EQ(nyk_map_get_next_key(m, &first, &second), 0);
	CHECK_EQ(nyk_map_delete(m, &second), 0);
	CHECK_EQ(nyk_map_get_next_key(m, &second, &next), 0);
	CHECK_EQ(next, first);
	k = 12345;
	CHECK_EQ(nyk_map_get_next_key(m, &k, &next), 0);
	CHECK_EQ(next, first);
	nyk_map_destroy(m);
}

TEST(map_hash_zero_seed_gives_the_same_order)
{
	struct nyk_map *a = mk_map(NYK_MAP_HASH, 4, 4, 64, NYK_F_ZERO_SEED, 1);
	struct nyk_map *b = mk_map(NYK_MAP_HASH, 4, 4, 64, NYK_F_ZERO_SEED, 1);
	uint32_t k, v = 0, ka, kb;
	int ra, rb;

	CHECK(a && b);
	for (k = 0; k < 50; k++) {
		CHECK_EQ(nyk_map_update(a, &k, &v, NYK_ANY), 0);
		CHECK_EQ(nyk_map_update(b, &k, &v, NYK_ANY), 0);
	}
	ra = nyk_map_get_next_key(a, NULL, &ka);
	rb = nyk_map_get_next_key(b, NULL, &kb);
	while (ra == 0 && rb == 0) {
		CHECK_EQ(ka, kb);
		ra = nyk_map_get_next_key(a, &ka, &ka);
		rb = nyk_map_get_next_key(b, &kb, &kb);
	}
	CHECK(ra == -ENOENT && rb == -ENOENT);
	nyk_map_destroy(a);
	nyk_map_destroy(b);
}

TEST(map_percpu_hash_views)
{
	struct nyk_map *m = mk_map(NYK_MAP_PERCPU_HASH, 4, 8, 4, 0, 2);
	uint32_t k = 5;
	uint64_t all[2] = { 1, 2 }, out[2], one = 7;

	CHECK(m);
	CHECK_EQ(nyk_map_value_size_user(m), 16);
	/* A new element from a program: its CPU's copy, the others zero. */
	CHECK_EQ(nyk_map_update_elem(m, &k, &one, NYK_ANY, 1), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK(out[0] == 0 && out[1] == 7);
	uint64_t *p1 = nyk_map_lookup_elem_ptr(m, &k, 1);
	CHECK(p1 && *p1 == 7);
	/* Updates of an existing element are in place. */
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_EXIST), 0);
	CHECK_EQ(*p1, 2);
	CHECK_EQ(*(uint64_t *)nyk_map_lookup_elem_ptr(m, &k, 0), 1);
	one = 9;
	CHECK_EQ(nyk_map_update_elem(m, &k, &one, NYK_ANY, 0), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, out), 0);
	CHECK(out[0] == 9 && out[1] == 2);
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(nyk_map_lookup_flags(m, &k, out, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, out, 0), 0);
	CHECK(out[0] == 9 && out[1] == 2);
	CHECK_EQ(nyk_map_lookup(m, &k, out), -ENOENT);
	nyk_map_destroy(m);
}

struct locked_val {
	uint32_t lock;
	uint32_t a;
	uint64_t b;
};

TEST(map_spin_lock_values)
{
	struct nyk_map_def d = { .type = NYK_MAP_HASH, .key_size = 4, .value_size = sizeof(struct locked_val),
				 .max_entries = 4, .has_spin_lock = 1, .spin_lock_off = 0, .name = "locked" };
	struct nyk_map *m = NULL;
	struct locked_val v = { 0xffffffff, 1, 2 }, out;
	uint32_t k = 1;

	CHECK_EQ(nyk_map_create(&d, NULL, &m, NULL), 0);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	struct locked_val *p = nyk_map_lookup_elem_ptr(m, &k, 0);
	CHECK(p);
	CHECK_EQ(p->lock, 0);   /* a new element's lock starts free */
	CHECK_EQ(nyk_map_lookup(m, &k, &out), 0);
	CHECK(out.lock == 0 && out.a == 1 && out.b == 2);
	/* BPF_F_LOCK: in place under the lock, the lock word untouched. */
	v.a = 3;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_F_LOCK), 0);
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) == p);
	CHECK(p->a == 3 && p->lock == 0);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_F_LOCK | NYK_NOEXIST), -EEXIST);
	k = 2;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_F_LOCK | NYK_EXIST), -ENOENT);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_F_LOCK), 0);   /* a new key with BPF_F_LOCK is inserted */
	memset(&out, 0xee, sizeof(out));
	CHECK_EQ(nyk_map_lookup_flags(m, &k, &out, NYK_F_LOCK), 0);
	CHECK(out.lock == 0 && out.a == 3);
	CHECK_EQ(nyk_map_lookup_flags(m, &k, &out, 8), -EINVAL);
	/* The program's lock. */
	nyk_map_spin_lock(&p->lock);
	CHECK_EQ(p->lock, 1);
	nyk_map_spin_unlock(&p->lock);
	CHECK_EQ(p->lock, 0);
	CHECK_EQ(nyk_map_freeze(m), -ENOTSUP);
	nyk_map_destroy(m);

	d.type = NYK_MAP_ARRAY;
	d.spin_lock_off = 0;
	CHECK_EQ(nyk_map_create(&d, NULL, &m, NULL), 0);
	k = 1;
	v.lock = 0xffffffff;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_F_LOCK), 0);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	p = nyk_map_lookup_elem_ptr(m, &k, 0);
	CHECK(p->lock == 0 && p->a == 3);
	CHECK_EQ(nyk_map_lookup_flags(m, &k, &out, NYK_F_LOCK), 0);
	CHECK_EQ(out.lock, 0);
	nyk_map_destroy(m);
}

TEST(map_permissions)
{
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 4, 4, 4, 0, 1);
	uint32_t k = 1, v = 2, out;

	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_freeze(m), 0);
	CHECK_EQ(nyk_map_freeze(m), -EBUSY);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), -EPERM);
	CHECK_EQ(nyk_map_delete(m, &k), -EPERM);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &k, &out, 0), -EPERM);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), 0);
	/* Programs still write a frozen map. */
	v = 3;
	CHECK_EQ(nyk_map_update_elem(m, &k, &v, NYK_ANY, 0), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), 0);
	CHECK_EQ(out, 3);
	CHECK_EQ(nyk_map_delete_elem(m, &k), 0);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_ARRAY, 4, 4, 4, NYK_F_RDONLY_PROG, 1);
	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_update_elem(m, &k, &v, NYK_ANY, 0), -EPERM);
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) != NULL);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_ARRAY, 4, 4, 4, NYK_F_RDONLY, 1);
	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), -EPERM);
	CHECK_EQ(nyk_map_freeze(m), -EPERM);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), 0);
	CHECK_EQ(nyk_map_update_elem(m, &k, &v, NYK_ANY, 0), 0);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_HASH, 4, 4, 4, NYK_F_WRONLY, 1);
	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), -EPERM);
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &out), -EPERM);
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	nyk_map_destroy(m);
}

TEST(map_ids)
{
	struct nyk_map *a = mk_map(NYK_MAP_ARRAY, 4, 4, 1, 0, 1), *b = mk_map(NYK_MAP_ARRAY, 4, 4, 1, 0, 1);
	uint32_t ia, ib;

	CHECK(a && b);
	ia = nyk_map_id(a);
	ib = nyk_map_id(b);
	CHECK(ia && ib && ia != ib);
	CHECK(nyk_map_by_id(ia) == a);
	CHECK(nyk_map_by_id(ib) == b);
	nyk_map_destroy(a);
	CHECK(nyk_map_by_id(ia) == NULL);
	CHECK(nyk_map_by_id(ib) == b);
	CHECK(nyk_map_by_id(0) == NULL);
	CHECK(nyk_map_by_id(0xffffffff) == NULL);
	CHECK_STR(nyk_map_name(b), "test");
	CHECK_EQ(nyk_map_get_def(b)->type, NYK_MAP_ARRAY);
	CHECK(nyk_map_shm_path(b) == NULL);
	nyk_map_destroy(b);
	nyk_map_destroy(NULL);
}

TEST(map_long_names_are_cut)
{
	char name[200];
	struct nyk_map_def d = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
				 .name = name };
	struct nyk_map *m;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	CHECK_EQ(nyk_map_create(&d, NULL, &m, NULL), 0);
	CHECK_EQ(strlen(nyk_map_name(m)), NYK_MAP_NAME_MAX - 1);
	nyk_map_destroy(m);
}

struct each_ctx {
	struct nyk_map *m;
	long calls;
	long stop_at;
	uint64_t sum;
	int delete;
};

static int each_cb(void *ctx, const void *key, void *value)
{
	struct each_ctx *c = ctx;
	uint32_t k;

	memcpy(&k, key, 4);
	c->calls++;
	c->sum += *(uint32_t *)value;
	if (c->delete)
		nyk_map_delete_elem(c->m, &k);
	return c->calls == c->stop_at;
}

TEST(map_for_each_elem)
{
	struct nyk_map *m = mk_map(NYK_MAP_ARRAY, 4, 4, 10, 0, 1);
	struct each_ctx c = { 0 };
	uint32_t k, v;

	CHECK(m);
	for (k = 0; k < 10; k++) {
		v = k;
		CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	}
	c.stop_at = -1;
	CHECK_EQ(nyk_map_for_each_elem(m, 0, each_cb, &c), 10);
	CHECK_EQ(c.sum, 45);
	c = (struct each_ctx){ .stop_at = 3 };
	CHECK_EQ(nyk_map_for_each_elem(m, 0, each_cb, &c), 3);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_HASH, 4, 4, 100, 0, 1);
	CHECK(m);
	for (k = 0; k < 100; k++) {
		v = k;
		CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	}
	c = (struct each_ctx){ .m = m, .stop_at = -1 };
	CHECK_EQ(nyk_map_for_each_elem(m, 0, each_cb, &c), 100);
	CHECK_EQ(c.sum, 4950);
	/* The callback may delete the element it is given. */
	c = (struct each_ctx){ .m = m, .stop_at = -1, .delete = 1 };
	CHECK_EQ(nyk_map_for_each_elem(m, 0, each_cb, &c), 100);
	CHECK_EQ(c.sum, 4950);
	CHECK_EQ(count_keys(m), 0);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_PERCPU_ARRAY, 4, 4, 2, 0, 2);
	CHECK(m);
	uint64_t all[2] = { 5, 6 };
	k = 1;
	CHECK_EQ(nyk_map_update(m, &k, all, NYK_ANY), 0);
	c = (struct each_ctx){ .stop_at = -1 };
	CHECK_EQ(nyk_map_for_each_elem(m, 1, each_cb, &c), 2);
	CHECK_EQ(c.sum, 6);
	nyk_map_destroy(m);

	m = mk_map(NYK_MAP_QUEUE, 0, 4, 2, 0, 1);
	CHECK(m);
	CHECK_EQ(nyk_map_for_each_elem(m, 0, each_cb, &c), -EINVAL);
	nyk_map_destroy(m);
}

TEST(map_null_arguments)
{
	uint32_t k = 0, v = 0;

	CHECK_EQ(nyk_map_lookup(NULL, &k, &v), -EINVAL);
	CHECK_EQ(nyk_map_update(NULL, &k, &v, 0), -EINVAL);
	CHECK_EQ(nyk_map_delete(NULL, &k), -EINVAL);
	CHECK_EQ(nyk_map_get_next_key(NULL, NULL, &k), -EINVAL);
	CHECK(nyk_map_lookup_elem_ptr(NULL, &k, 0) == NULL);
	CHECK_EQ(nyk_map_push(NULL, &v, 0), -EINVAL);
	CHECK(nyk_ringbuf_reserve(NULL, 8, 0) == NULL);
	CHECK_EQ(nyk_ringbuf_query(NULL, 0), 0);
	CHECK(nyk_map_get_def(NULL) == NULL);
	struct nyk_map *m = mk_map(NYK_MAP_HASH, 4, 4, 1, 0, 1);
	CHECK(m);
	CHECK_EQ(nyk_map_lookup(m, NULL, &v), -EINVAL);
	CHECK_EQ(nyk_map_update(m, NULL, &v, 0), -EINVAL);
	CHECK_EQ(nyk_map_delete(m, NULL), -EINVAL);
	CHECK_EQ(nyk_map_push(m, &v, 0), -ENOTSUP);
	CHECK(nyk_ringbuf_reserve(m, 8, 0) == NULL);
	nyk_map_destroy(m);
}
