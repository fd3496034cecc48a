/*
 * test_map_threads.c - maps used by several threads at once: hash updates,
 * deletes and lock-free lookups; LRU eviction under contention; ring
 * buffer producers with a consumer; LPM lookups during updates.
 */
#include "test_map.h"

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#include <sched.h>
#include <time.h>

enum { THREADS = 4, ROUNDS = 20000 };

struct hash_job {
	struct nyk_map *m;
	unsigned id;
	int lru;
	int bad;
};

/* Each thread owns keys id, id+THREADS, ...: its own keys must always read back right. */
static void *hash_worker(void *arg)
{
	struct hash_job *j = arg;
	uint32_t x = j->id * 7919 + 1;

	for (int i = 0; i < ROUNDS; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t k = ((x >> 8) % 64) * THREADS + j->id;
		uint64_t v = ((uint64_t)k << 32) | (uint32_t)i, out;
		switch (i % 4) {
		case 0:
		case 1:
			if (nyk_map_update(j->m, &k, &v, NYK_ANY) != 0) {
				j->bad++;
			} else {
				/* Read back: the value written (an LRU map may have evicted it meanwhile). */
				int r = nyk_map_lookup(j->m, &k, &out);
				if ((r == 0 && out != v) || (r != 0 && !j->lru))
					j->bad++;
			}
			break;
		case 2: {
			/*
			 * Only this thread changes its keys, so the value stays its own -
			 * except in an LRU map, where another thread's insert may evict it
			 * and reuse the slot while we look (as in the kernel).
			 */
			uint64_t *p = nyk_map_lookup_elem_ptr(j->m, &k, 0);
			if (p && (*p >> 32) != k && !j->lru)
				j->bad++;
			break;
		}
		default:
			nyk_map_delete(j->m, &k);
		}
	}
	return NULL;
}

static void run_hash(uint32_t type, uint32_t max, int *bad)
{
	struct nyk_map *m = mk_map(type, 4, 8, max, 0, 1);
	pthread_t t[THREADS];
	struct hash_job j[THREADS];

	*bad = -1;
	if (!m)
		return;
	for (unsigned i = 0; i < THREADS; i++) {
		j[i] = (struct hash_job){ m, i, type == NYK_MAP_LRU_HASH, 0 };
		pthread_create(&t[i], NULL, hash_worker, &j[i]);
	}
	*bad = 0;
	for (unsigned i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		*bad += j[i].bad;
	}
	long n = count_keys(m);
	if (n < 0 || n > (long)max)
		*bad += 1000;
	nyk_map_destroy(m);
}

TEST(map_threads_hash)
{
	int bad;

	run_hash(NYK_MAP_HASH, 64 * THREADS, &bad);
	CHECK_EQ(bad, 0);
}

TEST(map_threads_lru)
{
	int bad;

	/* Smaller than the key space: evictions all the time. */
	run_hash(NYK_MAP_LRU_HASH, 50, &bad);
	CHECK_EQ(bad, 0);
}

struct rb_job {
	struct nyk_map *m;
	uint32_t id;
	uint32_t sent;
	int *stop;
};

static void *rb_producer(void *arg)
{
	struct rb_job *j = arg;

	for (uint32_t i = 0; i < ROUNDS;) {
		uint32_t *r = nyk_ringbuf_reserve(j->m, 8 + (i % 3) * 8, 0);
		if (!r) {
			/* Full: the consumer catches up (or gave up). */
			if (__atomic_load_n(j->stop, __ATOMIC_ACQUIRE))
				return NULL;
			sched_yield();
			continue;
		}
		r[0] = j->id;
		r[1] = i;
		if (i % 10 == 9)
			nyk_ringbuf_discard(NULL, r, 0);
		else
			nyk_ringbuf_submit(NULL, r, 0);
		i++;
	}
	j->sent = ROUNDS;
	return NULL;
}

struct rb_check {
	uint32_t next[THREADS];
	long got;
	int bad;
};

static int rb_check_cb(void *ctx, const void *data, size_t size)
{
	struct rb_check *c = ctx;
	uint32_t r[2];

	memcpy(r, data, 8);
	if (r[0] >= THREADS || size < 8) {
		c->bad++;
		return 0;
	}
	/* In order per producer, discarded ones skipped. */
	while (c->next[r[0]] % 10 == 9)
		c->next[r[0]]++;
	if (r[1] != c->next[r[0]])
		c->bad++;
	c->next[r[0]] = r[1] + 1;
	c->got++;
	return 0;
}

TEST(map_threads_ringbuf)
{
	struct nyk_map *m = mk_map(NYK_MAP_RINGBUF, 0, 0, 16384, 0, 1);
	pthread_t t[THREADS];
	struct rb_job j[THREADS];
	static struct rb_check c;
	int stop = 0, consume_err = 0;

	CHECK(m);
	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < THREADS; i++) {
		j[i] = (struct rb_job){ m, i, 0, &stop };
		pthread_create(&t[i], NULL, rb_producer, &j[i]);
	}
	long want = (long)THREADS * (ROUNDS - ROUNDS / 10);
	time_t until = time(NULL) + 120;
	while (c.got < want && !consume_err) {
		int n = nyk_ringbuf_consume(m, rb_check_cb, &c);
		if (n < 0)
			consume_err = n;
		if (n == 0) {
			if (time(NULL) > until)
				break;
			sched_yield();
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(consume_err, 0);
	CHECK_EQ(nyk_ringbuf_consume(m, rb_check_cb, &c), 0);
	CHECK_EQ(c.bad, 0);
	CHECK_EQ(c.got, want);
	nyk_map_destroy(m);
}

struct lpm_job {
	struct nyk_map *m;
	int stop;
	int bad;
};

static void *lpm_reader(void *arg)
{
	struct lpm_job *j = arg;
	struct {
		uint32_t len;
		uint8_t a[4];
	} k = { 32, { 10, 1, 2, 3 } };

	while (!__atomic_load_n(&j->stop, __ATOMIC_ACQUIRE)) {
		/* 10.0.0.0/8 is always there: a lookup must find it or something more specific of 10/8. */
		uint32_t *v = nyk_map_lookup_elem_ptr(j->m, &k, 0);
		if (!v || *v < 8 || *v > 32)
			j->bad++;
		k.a[1]++;
	}
	return NULL;
}

TEST(map_threads_lpm)
{
	struct nyk_map *m = mk_map(NYK_MAP_LPM_TRIE, 8, 4, 256, NYK_F_NO_PREALLOC, 1);
	struct lpm_job j = { m, 0, 0 };
	pthread_t t[2];
	struct {
		uint32_t len;
		uint8_t a[4];
	} k = { 8, { 10, 0, 0, 0 } };
	uint32_t v = 8;

	CHECK(m);
	CHECK_EQ(nyk_map_update(m, &k, &v, NYK_ANY), 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, lpm_reader, &j);
	uint32_t x = 5;
	for (int i = 0; i < ROUNDS; i++) {
		x = x * 1664525u + 1013904223u;
		k.len = 9 + (x >> 4) % 24;
		k.a[1] = (uint8_t)(x >> 12);
		k.a[2] = (uint8_t)(x >> 20);
		v = k.len;
		if (i % 3 == 2)
			nyk_map_delete(m, &k);
		else
			nyk_map_update(m, &k, &v, NYK_ANY);
	}
	__atomic_store_n(&j.stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(j.bad, 0);
	nyk_map_destroy(m);
}
#endif
