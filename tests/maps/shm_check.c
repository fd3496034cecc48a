/*
 * shm_check.c - shared-memory maps across two processes.
 *
 *   shm_check producer DIR N   creates DIR/{hash,array,events,replies}, then for
 *                              i = 1..N: hash[i % 64] = i, array[0] = i, an event
 *                              {i, ~i} in the ring buffer (waiting while it is
 *                              full, counting the waits in array[1]; every 100th
 *                              discarded); then waits for the consumer's replies.
 *   shm_check consumer DIR N   opens them while the producer runs, waits for the
 *                              ring to have been full once, reads the
 *                              events in order, watches the array and the hash
 *                              change live, and pushes replies into a queue the
 *                              producer reads.
 *
 * Each prints "ok   CHECK" or "FAIL CHECK: why" lines; tests/maps/run.sh
 * counts them.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nyuki/map.h"

static int failures;

static void result(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		printf("ok   %s\n", name);
	} else {
		va_list ap;
		failures++;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_a_little(void)
{
	struct timespec ts = { 0, 20000 };

	nanosleep(&ts, NULL);
}

static struct nyk_map *create(const char *dir, const char *name, uint32_t type, uint32_t ks, uint32_t vs,
			      uint32_t max)
{
	char path[512];
	struct nyk_map_def d = { .type = type, .key_size = ks, .value_size = vs, .max_entries = max, .name = name };
	struct nyk_map_opts o = { .size = sizeof(o), .path = path };
	struct nyk_map *m = NULL;
	struct nyk_error e;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	nyk_error_clear(&e);
	int r = nyk_map_create(&d, &o, &m, &e);
	result(r == 0, name, "create: %s", e.message);
	return m;
}

/* Open a map the other process creates; wait up to 10 s for it. */
static struct nyk_map *open_when_there(const char *dir, const char *name)
{
	char path[512], what[64];
	struct nyk_map *m = NULL;
	struct nyk_error e;
	double until = now() + 10;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(what, sizeof(what), "open %s", name);
	do {
		nyk_error_clear(&e);
		r = nyk_map_open_shared(path, &m, &e);
		if (r == -ENOENT)
			pause_a_little();
	} while (r == -ENOENT && now() < until);
	result(r == 0, what, "%s", e.message);
	return m;
}

/* ---- producer ------------------------------------------------------------------------ */

static int producer(const char *dir, uint32_t n)
{
	/* The consumer's queue first: it opens the maps in this order. */
	struct nyk_map *replies = create(dir, "replies", NYK_MAP_QUEUE, 0, 8, 4096);
	struct nyk_map *hash = create(dir, "hash", NYK_MAP_HASH, 4, 8, 64);
	struct nyk_map *array = create(dir, "array", NYK_MAP_ARRAY, 4, 8, 2);
	struct nyk_map *events = create(dir, "events", NYK_MAP_RINGBUF, 0, 0, 16384);
	uint32_t full_waits = 0;
	double until;

	if (!replies || !hash || !array || !events)
		return 1;
	for (uint32_t i = 1; i <= n; i++) {
		uint32_t k = i % 64, zero = 0;
		uint64_t v = i;
		if (nyk_map_update(hash, &k, &v, NYK_ANY) || nyk_map_update(array, &zero, &v, NYK_ANY)) {
			result(0, "produce", "update %u failed", i);
			return 1;
		}
		/* Reserve and submit the way a program does; wait while the consumer is behind. */
		uint64_t *rec;
		until = now() + 10;
		while (!(rec = nyk_ringbuf_reserve(events, 16, 0))) {
			uint32_t one = 1;
			uint64_t waits = ++full_waits;
			nyk_map_update(array, &one, &waits, NYK_ANY);   /* the consumer starts on this */
			if (now() > until) {
				result(0, "produce", "ring buffer full for 10 s at event %u", i);
				return 1;
			}
			pause_a_little();
		}
		rec[0] = i;
		rec[1] = ~(uint64_t)i;
		if (i % 100 == 50 && i != n)
			nyk_ringbuf_discard(NULL, rec, 0);
		else
			nyk_ringbuf_submit(NULL, rec, 0);
	}
	result(1, "produce", "%s", "");
	result(full_waits > 0, "producer waited for the consumer", "the ring never filled: not a live test");

	/* The consumer pushes n / 1000 replies, then 0. */
	uint64_t want = 1, got;
	int ok = 1;
	until = now() + 20;
	for (;;) {
		int r = nyk_map_pop(replies, &got);
		if (r == -ENOENT) {
			if (now() > until) {
				ok = 0;
				break;
			}
			pause_a_little();
			continue;
		}
		if (got == 0)
			break;
		if (got != want)
			ok = 0;
		want++;
	}
	result(ok && want == n / 1000 + 1, "replies from the consumer", "got up to %" PRIu64 ", want %u", want - 1,
	       n / 1000);
	nyk_map_destroy(replies);
	nyk_map_destroy(hash);
	nyk_map_destroy(array);
	nyk_map_destroy(events);
	return failures != 0;
}

/* ---- consumer ------------------------------------------------------------------------ */

struct consumer {
	uint64_t next;        /* next event expected */
	uint32_t n;
	int bad;
	struct nyk_map *replies;
};

static int on_event(void *ctx, const void *data, size_t size)
{
	struct consumer *c = ctx;
	uint64_t rec[2];

	if (size != 16) {
		c->bad++;
		return 0;
	}
	memcpy(rec, data, 16);
	if (c->next % 100 == 50)
		c->next++;   /* discarded by the producer */
	if (rec[0] != c->next || rec[1] != ~rec[0])
		c->bad++;
	c->next = rec[0] + 1;
	if (rec[0] % 1000 == 0) {
		uint64_t r = rec[0] / 1000;
		nyk_map_push(c->replies, &r, NYK_ANY);
	}
	return 0;
}

static int consumer(const char *dir, uint32_t n)
{
	struct consumer c = { 1, n, 0, NULL };
	struct nyk_map *replies = open_when_there(dir, "replies");
	struct nyk_map *hash = open_when_there(dir, "hash");
	struct nyk_map *array = open_when_there(dir, "array");
	struct nyk_map *events = open_when_there(dir, "events");
	uint64_t last_counter = 0, changes = 0;
	int hash_bad = 0, order_bad = 0;
	double until = now() + 30;

	if (!replies || !hash || !array || !events)
		return 1;
	c.replies = replies;
	result(nyk_map_get_def(hash)->type == NYK_MAP_HASH && nyk_map_get_def(hash)->max_entries == 64 &&
		       nyk_map_get_def(events)->max_entries == 16384,
	       "definitions from the files", "wrong type or sizes");
	/*
	 * Consume only once the producer has found the ring full (it counts
	 * its waits in array[1]), so that it waits for this process at least
	 * once however the two are scheduled.
	 */
	for (uint32_t one = 1;;) {
		uint64_t waits = 0;
		if ((nyk_map_lookup(array, &one, &waits) == 0 && waits > 0) || now() > until - 20)
			break;
		pause_a_little();
	}
	while (c.next <= n && now() < until) {
		int r = nyk_ringbuf_consume(events, on_event, &c);
		if (r < 0) {
			result(0, "consume", "%d", r);
			break;
		}
		/* The array counter only grows; hash values belong to their key. */
		uint32_t zero = 0;
		uint64_t v;
		if (nyk_map_lookup(array, &zero, &v) == 0) {
			if (v < last_counter)
				order_bad++;
			if (v != last_counter)
				changes++;
			last_counter = v;
		}
		uint32_t k = (uint32_t)(c.next % 64);
		if (nyk_map_lookup(hash, &k, &v) == 0 && v % 64 != k)
			hash_bad++;
		if (r == 0)
			pause_a_little();
	}
	result(c.next > n && c.bad == 0, "events in order", "next %" PRIu64 " of %u, %d out of order", c.next, n,
	       c.bad);
	result(order_bad == 0 && changes > 1, "array seen changing live", "%" PRIu64 " changes, %d backwards", changes,
	       order_bad);
	result(hash_bad == 0, "hash values belong to their keys", "%d wrong", hash_bad);
	/* The producer is done with the maps once every event is out: check the final state. */
	uint32_t k = 0, next, count = 0;
	int ok = 1;
	for (int r = nyk_map_get_next_key(hash, NULL, &next); r == 0; r = nyk_map_get_next_key(hash, &k, &next)) {
		uint64_t v;
		k = next;
		count++;
		if (nyk_map_lookup(hash, &k, &v) || v % 64 != k || v + 64 <= n)
			ok = 0;
	}
	result(ok && count == (n < 64 ? n : 64), "final hash contents", "%u keys", count);
	uint64_t zero_reply = 0;
	result(nyk_map_push(replies, &zero_reply, NYK_ANY) == 0, "reply to the producer", "queue full");
	nyk_map_destroy(replies);
	nyk_map_destroy(hash);
	nyk_map_destroy(array);
	nyk_map_destroy(events);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: shm_check producer|consumer DIR N\n");
		return 2;
	}
	uint32_t n = (uint32_t)strtoul(argv[3], NULL, 10);
	if (!strcmp(argv[1], "producer"))
		return producer(argv[2], n);
	if (!strcmp(argv[1], "consumer"))
		return consumer(argv[2], n);
	fprintf(stderr, "shm_check: unknown role %s\n", argv[1]);
	return 2;
}
