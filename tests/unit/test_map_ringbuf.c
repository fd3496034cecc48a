/*
 * test_map_ringbuf.c - ring buffers (reserve, submit, discard, output,
 * query, consume, wrap-around) and perf_event_array buffers.
 */
#include "test_map.h"

struct seen {
	int n;
	uint32_t vals[4096];
	size_t sizes[4096];
	int stop_after;
};

static int take(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;
	uint32_t v = 0;

	memcpy(&v, data, size < 4 ? size : 4);
	if (s->n < 4096) {
		s->vals[s->n] = v;
		s->sizes[s->n] = size;
	}
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static struct seen seen;

TEST(map_ringbuf_reserve_submit_discard)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 4096, 0, 1);
	uint32_t *a, *b, *c;

	CHECK(m);
	memset(&seen, 0, sizeof(seen));
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_RING_SIZE), 4096);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_AVAIL_DATA), 0);
	CHECK_EQ(nyk_ringbuf_query(m, 99), 0);
	CHECK(nyk_ringbuf_reserve(m, 8, 1) == NULL);
	CHECK(nyk_ringbuf_reserve(m, 4096, 0) == NULL);
	CHECK(nyk_ringbuf_reserve(m, 1ull << 40, 0) == NULL);
	a = nyk_ringbuf_reserve(m, 4, 0);
	b = nyk_ringbuf_reserve(m, 12, 0);
	c = nyk_ringbuf_reserve(m, 4, 0);
	CHECK(a && b && c);
	CHECK_EQ((uintptr_t)a % 8, 0);
	CHECK_EQ((uint8_t *)b - (uint8_t *)a, 16);   /* 8-byte header, 8-byte aligned */
	CHECK_EQ((uint8_t *)c - (uint8_t *)b, 24);
	/* The kernel's header: length with the busy bit while reserved. */
	uint32_t hdr;
	memcpy(&hdr, (uint8_t *)b - 8, 4);
	CHECK_EQ(hdr, 12u | NYK_RINGBUF_BUSY_BIT);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_PROD_POS), 16 + 24 + 16);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_AVAIL_DATA), 56);
	*a = 1;
	*b = 2;
	*c = 3;
	/* b and c are done, a is not: nothing can be consumed yet. */
	CHECK_EQ(nyk_ringbuf_submit(m, c, NYK_RB_NO_WAKEUP), 0);
	CHECK_EQ(nyk_ringbuf_discard(m, b, 0), 0);
	memcpy(&hdr, (uint8_t *)b - 8, 4);
	CHECK_EQ(hdr, 12u | NYK_RINGBUF_DISCARD_BIT);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 0);
	CHECK_EQ(nyk_ringbuf_submit(m, a, NYK_RB_FORCE_WAKEUP), 0);
	/* Submitting twice, or a pointer that is no record, is refused when the map is named. */
	CHECK_EQ(nyk_ringbuf_submit(m, a, 0), -EINVAL);
	CHECK_EQ(nyk_ringbuf_submit(m, (uint8_t *)a + 8, 0), -EINVAL);
	CHECK_EQ(nyk_ringbuf_submit(m, NULL, 0), -EINVAL);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 2);
	CHECK_EQ(seen.n, 2);
	CHECK(seen.vals[0] == 1 && seen.sizes[0] == 4);
	CHECK(seen.vals[1] == 3 && seen.sizes[1] == 4);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_AVAIL_DATA), 0);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_CONS_POS), 56);
	/* submit without the map, as bpf_ringbuf_submit does. */
	a = nyk_ringbuf_reserve(m, 4, 0);
	CHECK(a);
	*a = 7;
	CHECK_EQ(nyk_ringbuf_submit(NULL, a, 0), 0);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 1);
	CHECK_EQ(seen.vals[2], 7);
	/* A zero-size record. */
	CHECK_EQ(nyk_ringbuf_output(m, NULL, 0, 0), 0);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 1);
	CHECK_EQ(seen.sizes[3], 0);
	nyk_map_destroy(m);
}

TEST(map_ringbuf_full_and_wrap_around)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 4096, 0, 1);
	uint8_t rec[1000];
	uint32_t next_out = 0, next_in = 0;

	CHECK(m);
	memset(&seen, 0, sizeof(seen));
	CHECK_EQ(nyk_ringbuf_output(m, rec, 8, 4), -EINVAL);
	/* 1000-byte records take 1008 bytes: four fit, the fifth does not. */
	for (int i = 0; i < 4; i++) {
		memcpy(rec, &next_in, 4);
		next_in++;
		CHECK_EQ(nyk_ringbuf_output(m, rec, sizeof(rec), 0), 0);
	}
	CHECK_EQ(nyk_ringbuf_output(m, rec, sizeof(rec), 0), -EAGAIN);
	CHECK(nyk_ringbuf_reserve(m, 1000, 0) == NULL);
	/* Consume and produce in turns: records cross the end of the ring many times. */
	for (int round = 0; round < 200; round++) {
		seen.n = 0;
		int n = nyk_ringbuf_consume(m, take, &seen);
		CHECK(n >= 1);
		for (int i = 0; i < n; i++) {
			CHECK_EQ(seen.vals[i], next_out);
			size_t want = next_out < 4 ? 1000 : (next_out % 5) * 200 + 1;
			CHECK_EQ(seen.sizes[i], want < 4 ? 4 : want);
			next_out++;
		}
		for (;;) {
			size_t sz = (next_in % 5) * 200 + 1;
			memcpy(rec, &next_in, 4);
			if (sz < 4)
				sz = 4;
			if (nyk_ringbuf_output(m, rec, sz, 0) < 0)
				break;
			next_in++;
		}
		CHECK(nyk_ringbuf_query(m, NYK_RB_AVAIL_DATA) <= 4096);
	}
	seen.n = 0;
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), (int)(next_in - next_out));
	CHECK(next_in > 300);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_AVAIL_DATA), 0);
	nyk_map_destroy(m);
}

TEST(map_ringbuf_records_are_contiguous)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 4096, 0, 1);
	uint8_t *a, *b;

	CHECK(m);
	memset(&seen, 0, sizeof(seen));
	a = nyk_ringbuf_reserve(m, 3000, 0);
	CHECK(a);
	memset(a, 1, 3000);
	CHECK_EQ(nyk_ringbuf_submit(m, a, 0), 0);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 1);
	/* 2000 bytes do not fit before the end: a discarded padding record fills it, the record starts the ring. */
	b = nyk_ringbuf_reserve(m, 2000, 0);
	CHECK(b == a);
	CHECK_EQ(nyk_ringbuf_query(m, NYK_RB_PROD_POS), 3008 + 1088 + 2008);
	uint32_t pad;
	memcpy(&pad, a - 8 + 3008, 4);
	CHECK_EQ(pad, (1088u - 8) | NYK_RINGBUF_DISCARD_BIT);
	memset(b, 2, 2000);
	CHECK_EQ(nyk_ringbuf_submit(m, b, 0), 0);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 1);
	CHECK_EQ(seen.sizes[1], 2000);
	CHECK_EQ(seen.vals[1], 0x02020202);
	/* Too big to fit with its padding while the ring is not at its start. */
	CHECK(nyk_ringbuf_reserve(m, 4096 - 8, 0) == NULL);
	nyk_map_destroy(m);
}

TEST(map_ringbuf_consumer_can_stop)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 8192, 0, 1);

	CHECK(m);
	memset(&seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < 10; i++)
		CHECK_EQ(nyk_ringbuf_output(m, &i, 4, 0), 0);
	seen.stop_after = 3;
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 3);
	seen.stop_after = 0;
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 7);
	for (uint32_t i = 0; i < 10; i++)
		CHECK_EQ(seen.vals[i], i);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), 0);
	CHECK_EQ(nyk_ringbuf_consume(m, NULL, &seen), -EINVAL);
	nyk_map_destroy(m);
}

TEST(map_ringbuf_corrupt_records_are_refused)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 4096, 0, 1);
	uint32_t *a;

	CHECK(m);
	memset(&seen, 0, sizeof(seen));
	a = nyk_ringbuf_reserve(m, 16, 0);
	CHECK(a);
	CHECK_EQ(nyk_ringbuf_submit(m, a, 0), 0);
	/* A program scribbles over the header: a length past the producer. */
	uint32_t bad = 3000;
	memcpy((uint8_t *)a - 8, &bad, 4);
	CHECK_EQ(nyk_ringbuf_consume(m, take, &seen), -EINVAL);
	nyk_map_destroy(m);
}

struct perf_seen {
	int n;
	unsigned cpu[64];
	uint32_t val[64];
	size_t size[64];
	uint64_t lost[4];
};

static int perf_take(void *ctx, unsigned cpu, const void *data, size_t size)
{
	struct perf_seen *s = ctx;

	if (s->n < 64) {
		s->cpu[s->n] = cpu;
		memcpy(&s->val[s->n], data, 4);
		s->size[s->n] = size;
	}
	s->n++;
	return 0;
}

static void perf_lost(void *ctx, unsigned cpu, uint64_t count)
{
	struct perf_seen *s = ctx;

	if (cpu < 4)
		s->lost[cpu] += count;
}

TEST(map_perf_event_array)
{
	struct nyk_map_def d = { .type = NYK_MAP_PERF_EVENT_ARRAY, .name = "events" };
	struct nyk_map_opts o = { .size = sizeof(o), .nr_cpus = 2, .perf_buf_size = 4096 };
	struct nyk_map *m;
	struct perf_seen s = { 0 };
	uint32_t v = 1;
	uint8_t ctx[4] = { 9, 9, 9, 9 };

	CHECK_EQ(nyk_map_create(&d, &o, &m, NULL), 0);
	CHECK_EQ(nyk_map_get_def(m)->max_entries, 2);   /* one per CPU, as libbpf does */
	CHECK_EQ(nyk_map_get_def(m)->key_size, 4);
	CHECK_EQ(nyk_perf_event_output(m, 1, 0, &v, 4, NULL, 0), 0);
	v = 2;
	CHECK_EQ(nyk_perf_event_output(m, NYK_F_CURRENT_CPU, 0, &v, 4, ctx, 4), 0);
	v = 3;
	CHECK_EQ(nyk_perf_event_output(m, NYK_F_CURRENT_CPU, 3, &v, 4, NULL, 0), 0);   /* CPU 3 of 2: 1 */
	CHECK_EQ(nyk_perf_event_output(m, 2, 0, &v, 4, NULL, 0), -E2BIG);
	CHECK_EQ(nyk_perf_event_output(m, 1ull << 32, 0, &v, 4, NULL, 0), -EINVAL);
	CHECK_EQ(nyk_perf_event_consume(m, perf_take, perf_lost, &s), 3);
	CHECK(s.cpu[0] == 0 && s.val[0] == 2 && s.size[0] == 8);
	CHECK(s.cpu[1] == 1 && s.val[1] == 1 && s.size[1] == 4);
	CHECK(s.cpu[2] == 1 && s.val[2] == 3);
	/* A full buffer loses samples and says how many. */
	uint8_t big[1000] = { 0 };
	int ok = 0, lost = 0;
	for (int i = 0; i < 10; i++) {
		int r = nyk_perf_event_output(m, 0, 0, big, sizeof(big), NULL, 0);
		if (r == 0)
			ok++;
		else if (r == -ENOSPC)
			lost++;
	}
	CHECK(ok == 4 && lost == 6);
	s.n = 0;
	CHECK_EQ(nyk_perf_event_consume(m, perf_take, perf_lost, &s), 4);
	CHECK_EQ(s.lost[0], 6);
	CHECK_EQ(nyk_perf_event_consume(m, perf_take, perf_lost, &s), 0);
	CHECK_EQ(s.lost[0], 6);
	/* Not values: no lookup or update; keys are the indexes. */
	uint32_t k = 0, out;
	CHECK_EQ(nyk_map_lookup(m, &k, &out), -ENOTSUP);
	CHECK_EQ(nyk_map_update(m, &k, &out, 0), -ENOTSUP);
	CHECK_EQ(count_keys(m), 2);
	CHECK(nyk_ringbuf_reserve(m, 8, 0) == NULL);
	nyk_map_destroy(m);

	o.perf_buf_size = 5000;
	CHECK_EQ(nyk_map_create(&d, &o, &m, NULL), -EINVAL);
}
