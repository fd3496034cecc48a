/*
 * bench_maps.c - what map operations cost (ns per operation), on the paths
 * programs use: lookups in place, updates, LRU eviction, LPM matching, the
 * ring buffer. Figures are printed, never asserted.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nyuki/map.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct nyk_map *mk(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	struct nyk_map_def d = { .type = type, .key_size = ks, .value_size = vs, .max_entries = max,
				 .map_flags = flags, .name = "bench" };
	struct nyk_map *m = NULL;
	struct nyk_error e;

	if (nyk_map_create(&d, NULL, &m, &e) < 0) {
		fprintf(stderr, "bench_maps: %s\n", e.message);
		exit(1);
	}
	return m;
}

static volatile uint64_t sink;

static void report(const char *what, double ns, long ops)
{
	printf("  %-44s %8.1f ns/op\n", what, ns / (double)ops);
}

static int count_record(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	sink += *(const uint64_t *)data + size;
	return 0;
}

static uint32_t rnd(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

static void bench_hash(uint32_t n, uint32_t ks, const char *name)
{
	struct nyk_map *m = mk(NYK_MAP_HASH, ks, 8, n, 0);
	uint8_t key[64] = { 0 };
	uint64_t v = 1;
	uint32_t x = 1;
	long ops = 2000000;
	char what[96];

	for (uint32_t i = 0; i < n; i++) {
		memcpy(key, &i, 4);
		nyk_map_update(m, key, &v, NYK_ANY);
	}
	double t = now_ns();
	for (long i = 0; i < ops; i++) {
		uint32_t k = rnd(&x) % n;
		memcpy(key, &k, 4);
		uint64_t *p = nyk_map_lookup_elem_ptr(m, key, 0);
		sink += p ? *p : 0;
	}
	snprintf(what, sizeof(what), "%s lookup hit (%u entries, %u-byte key)", name, n, ks);
	report(what, now_ns() - t, ops);
	t = now_ns();
	for (long i = 0; i < ops; i++) {
		uint32_t k = n + rnd(&x);
		memcpy(key, &k, 4);
		sink += nyk_map_lookup_elem_ptr(m, key, 0) != NULL;
	}
	snprintf(what, sizeof(what), "%s lookup miss", name);
	report(what, now_ns() - t, ops);
	t = now_ns();
	for (long i = 0; i < ops / 4; i++) {
		uint32_t k = rnd(&x) % n;
		memcpy(key, &k, 4);
		nyk_map_update_elem(m, key, &v, NYK_ANY, 0);
	}
	snprintf(what, sizeof(what), "%s update (replace)", name);
	report(what, now_ns() - t, ops / 4);
	nyk_map_destroy(m);
}

int main(void)
{
	uint32_t x = 7, k;
	long ops = 5000000;
	double t;

	printf("maps (one thread):\n");
	struct nyk_map *a = mk(NYK_MAP_ARRAY, 4, 8, 1024, 0);
	t = now_ns();
	for (long i = 0; i < ops; i++) {
		k = (uint32_t)i & 1023;
		uint64_t *p = nyk_map_lookup_elem_ptr(a, &k, 0);
		sink += *p;
	}
	report("array lookup", now_ns() - t, ops);
	nyk_map_destroy(a);

	bench_hash(1024, 4, "hash");
	bench_hash(1u << 20, 4, "hash");
	bench_hash(1024, 16, "hash");

	struct nyk_map *l = mk(NYK_MAP_LRU_HASH, 4, 8, 4096, 0);
	uint64_t v = 1;
	t = now_ns();
	for (long i = 0; i < ops / 5; i++) {
		k = rnd(&x);
		nyk_map_update_elem(l, &k, &v, NYK_ANY, 0);
	}
	report("lru_hash insert with eviction (4096 entries)", now_ns() - t, ops / 5);
	nyk_map_destroy(l);

	struct nyk_map *lpm = mk(NYK_MAP_LPM_TRIE, 8, 4, 20000, NYK_F_NO_PREALLOC);
	struct {
		uint32_t len;
		uint32_t addr;
	} key;
	for (int i = 0; i < 10000; i++) {
		key.len = 8 + rnd(&x) % 25;
		key.addr = rnd(&x) ^ (rnd(&x) << 16);
		uint32_t val = key.len;
		nyk_map_update(lpm, &key, &val, NYK_ANY);
	}
	t = now_ns();
	for (long i = 0; i < ops / 5; i++) {
		key.len = 32;
		key.addr = rnd(&x) ^ (rnd(&x) << 16);
		sink += nyk_map_lookup_elem_ptr(lpm, &key, 0) != NULL;
	}
	report("lpm_trie lookup (10000 IPv4 prefixes)", now_ns() - t, ops / 5);
	nyk_map_destroy(lpm);

	struct nyk_map *rb = mk(NYK_MAP_RINGBUF, 0, 0, 1u << 20, 0);
	t = now_ns();
	for (long i = 0; i < ops; i++) {
		uint64_t *r = nyk_ringbuf_reserve(rb, 32, 0);
		if (!r) {
			nyk_ringbuf_consume(rb, count_record, NULL);
			r = nyk_ringbuf_reserve(rb, 32, 0);
		}
		r[0] = (uint64_t)i;
		nyk_ringbuf_submit(NULL, r, 0);
	}
	nyk_ringbuf_consume(rb, count_record, NULL);
	report("ringbuf reserve + submit + consume (32 bytes)", now_ns() - t, ops);
	nyk_map_destroy(rb);
	return 0;
}
