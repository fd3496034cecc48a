/*
 * test_map_inmap.c - prog_array, array_of_maps and hash_of_maps.
 */
#include "test_map.h"

TEST(map_prog_array)
{
	struct nyk_map *m = mk_map(NYK_MAP_PROG_ARRAY, 4, 4, 4, 0, 1);
	uint32_t k = 1, v = 17, out;

	CHECK(m);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), -ENOENT);
	CHECK_EQ(nyk_map_prog_array_get(m, 1, &out), -ENOENT);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_NOEXIST), -EINVAL);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_lookup(m, &k, &out), 0);
	CHECK_EQ(out, 17);
	CHECK_EQ(nyk_map_prog_array_get(m, 1, &out), 0);
	CHECK_EQ(out, 17);
	v = 0;   /* program 0 is a program */
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_prog_array_get(m, 1, &out), 0);
	CHECK_EQ(out, 0);
	CHECK_EQ(nyk_map_prog_array_get(m, 4, &out), -E2BIG);
	k = 4;
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), -E2BIG);
	CHECK_EQ(nyk_map_delete(m, &k), -E2BIG);
	k = 1;
	CHECK(nyk_map_lookup_elem_ptr(m, &k, 0) == NULL);   /* programs tail-call, they do not look up */
	CHECK_EQ(nyk_map_delete(m, &k), 0);
	CHECK_EQ(nyk_map_delete(m, &k), -ENOENT);
	CHECK_EQ(nyk_map_prog_array_get(m, 1, &out), -ENOENT);
	CHECK_EQ(count_keys(m), 4);
	nyk_map_destroy(m);

	struct nyk_map *h = mk_map(NYK_MAP_HASH, 4, 4, 4, 0, 1);
	CHECK_EQ(nyk_map_prog_array_get(h, 0, &out), -EINVAL);
	nyk_map_destroy(h);
}

static int count_region(void *ctx, void *addr, size_t len, unsigned flags)
{
	(void)addr;
	(void)len;
	(void)flags;
	++*(int *)ctx;
	return 0;
}

TEST(map_array_of_maps)
{
	struct nyk_map_def inner = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4,
				     .name = "inner" };
	struct nyk_map_def outer = { .type = NYK_MAP_ARRAY_OF_MAPS, .key_size = 4, .value_size = 4,
				     .max_entries = 2, .name = "outer", .inner = &inner };
	struct nyk_map *o, *a, *b, *bad;
	uint32_t k = 0, id, out;
	uint64_t v = 42;

	CHECK_EQ(nyk_map_create(&outer, NULL, &o, NULL), 0);
	CHECK(nyk_map_get_def(o)->inner && nyk_map_get_def(o)->inner->value_size == 8);
	CHECK_EQ(nyk_map_create(&inner, NULL, &a, NULL), 0);
	CHECK_EQ(nyk_map_create(&inner, NULL, &b, NULL), 0);
	inner.value_size = 4;
	CHECK_EQ(nyk_map_create(&inner, NULL, &bad, NULL), 0);

	CHECK(nyk_map_lookup_elem_ptr(o, &k, 0) == NULL);
	CHECK_EQ(nyk_map_lookup(o, &k, &out), -ENOENT);
	id = nyk_map_id(bad);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), -EINVAL);   /* does not match the inner definition */
	id = 0xfffffff0;
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), -EBADF);
	id = nyk_map_id(a);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_NOEXIST), -EINVAL);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	k = 2;
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), -E2BIG);
	k = 0;
	CHECK_EQ(nyk_map_lookup(o, &k, &out), 0);
	CHECK_EQ(out, nyk_map_id(a));
	/* A program's lookup gives the inner map, which it uses as a map. */
	struct nyk_map *in = nyk_map_lookup_elem_ptr(o, &k, 0);
	CHECK(in == a);
	CHECK_EQ(nyk_map_update_elem(in, &k, &v, NYK_ANY, 0), 0);
	/* The outer map holds a reference: the inner map outlives its creator's handle. */
	nyk_map_destroy(a);
	in = nyk_map_lookup_elem_ptr(o, &k, 0);
	CHECK(in && nyk_map_lookup_elem_ptr(in, &k, 0) && *(uint64_t *)nyk_map_lookup_elem_ptr(in, &k, 0) == 42);
	int regions = 0;
	CHECK_EQ(nyk_map_for_each_region(o, count_region, &regions), 0);
	CHECK_EQ(regions, 1);
	/* Replacing drops the old one (ASan checks it is freed, once). */
	id = nyk_map_id(b);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	CHECK(nyk_map_lookup_elem_ptr(o, &k, 0) == b);
	k = 1;
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	regions = 0;
	CHECK_EQ(nyk_map_for_each_region(o, count_region, &regions), 0);
	CHECK_EQ(regions, 2);
	CHECK_EQ(nyk_map_delete(o, &k), 0);
	CHECK_EQ(nyk_map_delete(o, &k), -ENOENT);
	CHECK_EQ(count_keys(o), 2);
	nyk_map_destroy(b);
	CHECK(nyk_map_by_id(id) != NULL);   /* still in slot 0 */
	nyk_map_destroy(o);
	CHECK(nyk_map_by_id(id) == NULL);
	nyk_map_destroy(bad);
}

TEST(map_array_of_maps_inner_map_flag)
{
	struct nyk_map_def inner = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4,
				     .map_flags = NYK_F_INNER_MAP };
	struct nyk_map_def outer = { .type = NYK_MAP_ARRAY_OF_MAPS, .key_size = 4, .value_size = 4,
				     .max_entries = 1, .inner = &inner };
	struct nyk_map *o, *small;
	uint32_t k = 0, id;

	CHECK_EQ(nyk_map_create(&outer, NULL, &o, NULL), 0);
	inner.max_entries = 1;
	CHECK_EQ(nyk_map_create(&inner, NULL, &small, NULL), 0);
	id = nyk_map_id(small);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);   /* sizes may differ with BPF_F_INNER_MAP */
	nyk_map_destroy(small);
	nyk_map_destroy(o);

	/* Maps of maps do not nest. */
	struct nyk_map_def nest = outer;
	nest.inner = &outer;
	CHECK_EQ(create_err(&nest, NULL, 0), -EINVAL);
}

TEST(map_hash_of_maps)
{
	struct nyk_map_def inner = { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 4, .max_entries = 8 };
	struct nyk_map_def outer = { .type = NYK_MAP_HASH_OF_MAPS, .key_size = 8, .value_size = 4,
				     .max_entries = 2, .name = "hom", .inner = &inner };
	struct nyk_map *o, *a, *b, *c;
	uint64_t k = 100;
	uint32_t id, out, v = 5;

	CHECK_EQ(nyk_map_create(&outer, NULL, &o, NULL), 0);
	CHECK_EQ(nyk_map_create(&inner, NULL, &a, NULL), 0);
	inner.max_entries = 16;   /* hash inner maps may differ in size */
	CHECK_EQ(nyk_map_create(&inner, NULL, &b, NULL), 0);
	CHECK_EQ(nyk_map_create(&inner, NULL, &c, NULL), 0);
	id = nyk_map_id(a);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_EXIST), -ENOENT);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_NOEXIST), -EEXIST);
	CHECK_EQ(nyk_map_lookup(o, &k, &out), 0);
	CHECK_EQ(out, id);
	struct nyk_map *in = nyk_map_lookup_elem_ptr(o, &k, 0);
	CHECK(in == a);
	CHECK_EQ(nyk_map_update_elem(in, &v, &v, NYK_ANY, 0), 0);
	nyk_map_destroy(a);   /* the outer map keeps it */
	CHECK(nyk_map_lookup_elem_ptr(nyk_map_lookup_elem_ptr(o, &k, 0), &v, 0) != NULL);
	k = 200;
	id = nyk_map_id(b);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	k = 300;
	id = nyk_map_id(c);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), -E2BIG);
	id = 0;
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), -EBADF);
	/* Replacing the value of key 100 frees a. */
	k = 100;
	id = nyk_map_id(c);
	CHECK_EQ(nyk_map_update(o, &k, &id, NYK_ANY), 0);
	CHECK(nyk_map_lookup_elem_ptr(o, &k, 0) == c);
	int regions = 0;
	CHECK_EQ(nyk_map_for_each_region(o, count_region, &regions), 0);
	CHECK_EQ(regions, 2);
	CHECK_EQ(count_keys(o), 2);
	CHECK_EQ(nyk_map_delete(o, &k), 0);
	CHECK(nyk_map_lookup_elem_ptr(o, &k, 0) == NULL);
	nyk_map_destroy(c);
	nyk_map_destroy(b);
	nyk_map_destroy(o);   /* drops b */
}
