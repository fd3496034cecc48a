/*
 * test_map.h - helpers of the map unit tests (test_map*.c).
 */
#ifndef NYUKI_TEST_MAP_H
#define NYUKI_TEST_MAP_H

#include <errno.h>
#include <stdlib.h>

#include "nyuki/map.h"
#include "test.h"

/* A map of the given shape, or NULL (the reason printed). */
static inline struct nyk_map *mk_map(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
				     uint32_t flags, unsigned nr_cpus)
{
	struct nyk_map_def d = { .type = type, .key_size = key_size, .value_size = value_size,
				 .max_entries = max_entries, .map_flags = flags, .name = "test" };
	struct nyk_map_opts o = { .size = sizeof(o), .nr_cpus = nr_cpus };
	struct nyk_map *m = NULL;
	struct nyk_error e;

	nyk_error_clear(&e);
	if (nyk_map_create(&d, &o, &m, &e) < 0) {
		printf("    create: %s\n", e.message);
		return NULL;
	}
	return m;
}

/* The error creating `d` gives (0 if it was created, then destroyed); `msg` gets the message. */
static inline int create_err(const struct nyk_map_def *d, char *msg, size_t msg_size)
{
	struct nyk_map *m = NULL;
	struct nyk_error e;
	int r;

	nyk_error_clear(&e);
	r = nyk_map_create(d, NULL, &m, &e);
	if (msg)
		snprintf(msg, msg_size, "%s", e.message);
	if (r == 0) {
		nyk_map_destroy(m);
		return 0;
	}
	if (m || e.code != r || !e.message[0])
		return -10000;   /* a failure must say why and create nothing */
	return r;
}

/* Number of keys get_next_key visits from the first. */
static inline long count_keys(struct nyk_map *m)
{
	uint8_t key[520], next[520];
	long n = 0;
	int r = nyk_map_get_next_key(m, NULL, next);

	while (r == 0 && n < 1000000) {
		n++;
		memcpy(key, next, sizeof(key));
		r = nyk_map_get_next_key(m, key, next);
	}
	return r == -ENOENT ? n : -1;
}

#endif
