/*
 * test_map_queue.c - queue and stack maps.
 */
#include "test_map.h"

static uint32_t pop(struct nyk_map *m)
{
	uint32_t v = 0xffffffff;

	if (nyk_map_pop(m, &v) < 0)
		return 0xffffffff;
	return v;
}

TEST(map_queue_fifo)
{
	struct nyk_map *m = mk_map(NYK_MAP_QUEUE, 0, 4, 3, 0, 1);
	uint32_t v;

	CHECK(m);
	CHECK_EQ(nyk_map_pop(m, &v), -ENOENT);
	CHECK_EQ(nyk_map_peek(m, &v), -ENOENT);
	for (v = 1; v <= 3; v++)
		CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), -E2BIG);
	CHECK_EQ(nyk_map_push(m, &v, NYK_NOEXIST), -EINVAL);
	CHECK_EQ(nyk_map_push(m, &v, 3), -EINVAL);
	CHECK_EQ(nyk_map_peek(m, &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(pop(m), 1);
	CHECK_EQ(pop(m), 2);
	v = 4;
	CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), 0);
	v = 5;
	CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), 0);
	/* Full: BPF_EXIST drops the oldest. */
	v = 6;
	CHECK_EQ(nyk_map_push(m, &v, NYK_EXIST), 0);
	CHECK_EQ(pop(m), 4);
	CHECK_EQ(pop(m), 5);
	CHECK_EQ(pop(m), 6);
	CHECK_EQ(pop(m), 0xffffffff);
	/* Around the ring many times. */
	for (uint32_t i = 0; i < 1000; i++) {
		CHECK_EQ(nyk_map_push(m, &i, NYK_ANY), 0);
		if (i % 3 == 2) {
			CHECK_EQ(pop(m), i - 2);
			CHECK_EQ(pop(m), i - 1);
			CHECK_EQ(pop(m), i);
		}
	}
	CHECK(nyk_map_lookup_elem_ptr(m, &v, 0) == NULL);
	nyk_map_destroy(m);
}

TEST(map_stack_lifo)
{
	struct nyk_map *m = mk_map(NYK_MAP_STACK, 0, 4, 3, 0, 1);
	uint32_t v;

	CHECK(m);
	CHECK_EQ(nyk_map_pop(m, &v), -ENOENT);
	for (v = 1; v <= 3; v++)
		CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), -E2BIG);
	CHECK_EQ(nyk_map_peek(m, &v), 0);
	CHECK_EQ(v, 3);
	/* Full: BPF_EXIST drops the oldest (the bottom). */
	v = 4;
	CHECK_EQ(nyk_map_push(m, &v, NYK_EXIST), 0);
	CHECK_EQ(pop(m), 4);
	CHECK_EQ(pop(m), 3);
	CHECK_EQ(pop(m), 2);
	CHECK_EQ(pop(m), 0xffffffff);
	for (uint32_t i = 0; i < 1000; i++) {
		CHECK_EQ(nyk_map_push(m, &i, NYK_ANY), 0);
		if (i % 2 == 1) {
			CHECK_EQ(pop(m), i);
			CHECK_EQ(pop(m), i - 1);
		}
	}
	nyk_map_destroy(m);
}

TEST(map_queue_syscall_view)
{
	struct nyk_map *m = mk_map(NYK_MAP_QUEUE, 0, 8, 4, 0, 1);
	uint64_t v = 7, out = 0;

	CHECK(m);
	CHECK_EQ(nyk_map_update(m, NULL, &v, NYK_ANY), 0);       /* push */
	v = 8;
	CHECK_EQ(nyk_map_update(m, NULL, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_lookup(m, NULL, &out), 0);              /* peek */
	CHECK_EQ(out, 7);
	CHECK_EQ(nyk_map_lookup_and_delete(m, NULL, &out, 0), 0);   /* pop */
	CHECK_EQ(out, 7);
	CHECK_EQ(nyk_map_lookup_and_delete(m, NULL, &out, NYK_F_LOCK), -EINVAL);
	CHECK_EQ(nyk_map_delete(m, NULL), -EINVAL);
	CHECK_EQ(nyk_map_get_next_key(m, NULL, &out), -EINVAL);
	CHECK_EQ(nyk_map_update(m, &v, &v, NYK_ANY), -EINVAL);   /* no keys */
	CHECK_EQ(nyk_map_lookup(m, &v, &out), -EINVAL);
	CHECK_EQ(nyk_map_lookup_and_delete(m, &v, &out, 0), -EINVAL);
	CHECK_EQ(nyk_map_update_elem(m, NULL, &v, NYK_ANY, 0), 0);   /* a program's update pushes too */
	CHECK_EQ(nyk_map_lookup_and_delete(m, NULL, &out, 0), 0);
	CHECK_EQ(out, 8);
	CHECK_EQ(nyk_map_freeze(m), 0);
	CHECK_EQ(nyk_map_update(m, NULL, &v, NYK_ANY), -EPERM);
	CHECK_EQ(nyk_map_push(m, &v, NYK_ANY), 0);               /* programs still push */
	CHECK_EQ(nyk_map_lookup_and_delete(m, NULL, &out, 0), -EPERM);
	CHECK_EQ(nyk_map_pop(m, &out), 0);
	nyk_map_destroy(m);
}
