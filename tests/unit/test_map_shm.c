/*
 * test_map_shm.c - maps in shared memory, opened twice in one process
 * (two mappings at different addresses, as two processes would have them).
 * tests/maps/run.sh does the same across processes.
 */
#include "test_map.h"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "maps/htab.h"

static const char *shm_path(const char *name)
{
	static char buf[256];
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");

	snprintf(buf, sizeof(buf), "%s/nyuki-unit-%ld-%s", dir, (long)getpid(), name);
	return buf;
}

static struct nyk_map *mk_shared(const char *path, uint32_t type, uint32_t ks, uint32_t vs, uint32_t max,
				 uint32_t flags, unsigned cpus, unsigned oflags)
{
	struct nyk_map_def d = { .type = type, .key_size = ks, .value_size = vs, .max_entries = max,
				 .map_flags = flags, .name = "shared" };
	struct nyk_map_opts o = { .size = sizeof(o), .nr_cpus = cpus, .path = path, .flags = oflags };
	struct nyk_map *m = NULL;
	struct nyk_error e;

	nyk_error_clear(&e);
	if (nyk_map_create(&d, &o, &m, &e) < 0)
		printf("    create %s: %s\n", path, e.message);
	return m;
}

static struct nyk_map *open_shared(const char *path)
{
	struct nyk_map *m = NULL;
	struct nyk_error e;

	nyk_error_clear(&e);
	if (nyk_map_open_shared(path, &m, &e) < 0)
		printf("    open %s: %s\n", path, e.message);
	return m;
}

TEST(map_shm_hash_seen_by_both_mappings)
{
	const char *p = shm_path("hash");
	struct nyk_map *a = mk_shared(p, NYK_MAP_HASH, 4, 8, 64, 0, 1, 0), *b;
	uint32_t k;
	uint64_t v, out;

	CHECK(a);
	CHECK_STR(nyk_map_shm_path(a), p);
	for (k = 0; k < 50; k++) {
		v = k * 10;
		CHECK_EQ(nyk_map_update(a, &k, &v, NYK_ANY), 0);
	}
	b = open_shared(p);
	CHECK(b);
	CHECK_EQ(nyk_map_get_def(b)->type, NYK_MAP_HASH);
	CHECK_EQ(nyk_map_get_def(b)->max_entries, 64);
	CHECK_STR(nyk_map_name(b), "shared");
	CHECK_EQ(count_keys(b), 50);
	k = 7;
	CHECK_EQ(nyk_map_lookup(b, &k, &out), 0);
	CHECK_EQ(out, 70);
	/* Changes either way, including deletes and element reuse. */
	v = 1;
	CHECK_EQ(nyk_map_update(b, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_lookup(a, &k, &out), 0);
	CHECK_EQ(out, 1);
	uint64_t *pa = nyk_map_lookup_elem_ptr(a, &k, 0), *pb = nyk_map_lookup_elem_ptr(b, &k, 0);
	CHECK(pa && pb && pa != pb);
	*pa = 99;
	CHECK_EQ(*pb, 99);
	for (k = 0; k < 50; k += 2)
		CHECK_EQ(nyk_map_delete(b, &k), 0);
	CHECK_EQ(count_keys(a), 25);
	for (k = 100; k < 139; k++)
		CHECK_EQ(nyk_map_update(a, &k, &v, NYK_ANY), 0);
	CHECK_EQ(nyk_map_update(b, &k, &v, NYK_ANY), -E2BIG);
	CHECK_EQ(count_keys(b), 64);
	/* Freezing is in the file too. */
	CHECK_EQ(nyk_map_freeze(a), 0);
	CHECK_EQ(nyk_map_update(b, &k, &v, NYK_ANY), -EPERM);
	nyk_map_destroy(a);
	k = 1;
	CHECK_EQ(nyk_map_lookup(b, &k, &out), 0);   /* the file outlives its creator's handle */
	nyk_map_destroy(b);
	unlink(p);
}

TEST(map_shm_every_shareable_type)
{
	struct {
		uint32_t type, ks, vs, max, flags;
	} t[] = {
		{ NYK_MAP_ARRAY, 4, 8, 8, 0 },       { NYK_MAP_PERCPU_ARRAY, 4, 8, 8, 0 },
		{ NYK_MAP_PERCPU_HASH, 4, 8, 8, 0 }, { NYK_MAP_LRU_HASH, 4, 8, 8, 0 },
		{ NYK_MAP_LRU_PERCPU_HASH, 4, 8, 8, 0 }, { NYK_MAP_LPM_TRIE, 8, 8, 8, NYK_F_NO_PREALLOC },
	};
	const char *p = shm_path("types");

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nyk_map *a = mk_shared(p, t[i].type, t[i].ks, t[i].vs, t[i].max, t[i].flags, 2, 0), *b;
		uint8_t key[8] = { 0 }, val[16], out[16];
		CHECK(a);
		b = open_shared(p);
		CHECK(b);
		CHECK_EQ(nyk_map_nr_cpus(b), 2);
		CHECK_EQ(nyk_map_value_size_user(b), nyk_map_value_size_user(a));
		/* LPM: 1.2.3.4/32; arrays: index 3; hash maps: that key. */
		uint32_t first = t[i].type == NYK_MAP_ARRAY || t[i].type == NYK_MAP_PERCPU_ARRAY ? 3 : 32;
		memcpy(key, &first, 4);
		key[4] = 1;
		key[5] = 2;
		key[6] = 3;
		key[7] = 4;
		for (size_t j = 0; j < sizeof(val); j++)
			val[j] = (uint8_t)(j + 1);
		CHECK_MSG(nyk_map_update(a, key, val, NYK_ANY) == 0, "type %u", t[i].type);
		memset(out, 0, sizeof(out));
		CHECK_MSG(nyk_map_lookup(b, key, out) == 0, "type %u", t[i].type);
		CHECK_MSG(!memcmp(out, val, nyk_map_value_size_user(a)), "type %u", t[i].type);
		uint8_t *p1 = nyk_map_lookup_elem_ptr(b, key, 1);
		CHECK(p1 && p1[0] == (nyk_map_nr_cpus(b) > 1 && t[i].type != NYK_MAP_ARRAY &&
						t[i].type != NYK_MAP_LRU_HASH && t[i].type != NYK_MAP_LPM_TRIE
					? 9
					: 1));
		nyk_map_destroy(a);
		nyk_map_destroy(b);
	}
	unlink(p);
}

struct rb_seen {
	int n;
	uint32_t last;
};

static int rb_take(void *ctx, const void *data, size_t size)
{
	struct rb_seen *s = ctx;

	(void)size;
	memcpy(&s->last, data, 4);
	s->n++;
	return 0;
}

TEST(map_shm_ringbuf_queue_stack_perf)
{
	const char *p = shm_path("rb");
	struct nyk_map *a = mk_shared(p, NYK_MAP_RINGBUF, 0, 0, 4096, 0, 1, 0), *b;
	struct rb_seen s = { 0 };

	CHECK(a);
	b = open_shared(p);
	CHECK(b);
	for (uint32_t i = 0; i < 1000; i++) {
		uint32_t *r = nyk_ringbuf_reserve(a, 100, 0);
		CHECK(r);
		*r = i;
		CHECK_EQ(nyk_ringbuf_submit(a, r, 0), 0);
		if (i % 7 == 6) {
			CHECK_EQ(nyk_ringbuf_consume(b, rb_take, &s), 7);
			CHECK_EQ(s.last, i);
		}
	}
	CHECK_EQ(nyk_ringbuf_query(b, NYK_RB_PROD_POS), nyk_ringbuf_query(a, NYK_RB_PROD_POS));
	nyk_map_destroy(a);
	nyk_map_destroy(b);

	a = mk_shared(p, NYK_MAP_QUEUE, 0, 4, 4, 0, 1, 0);
	CHECK(a);
	b = open_shared(p);
	CHECK(b);
	uint32_t v = 5;
	CHECK_EQ(nyk_map_push(a, &v, 0), 0);
	CHECK_EQ(nyk_map_pop(b, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(nyk_map_pop(a, &v), -ENOENT);
	nyk_map_destroy(a);
	nyk_map_destroy(b);

	a = mk_shared(p, NYK_MAP_STACK, 0, 4, 4, 0, 1, 0);
	CHECK(a);
	b = open_shared(p);
	CHECK(b);
	v = 6;
	CHECK_EQ(nyk_map_push(b, &v, 0), 0);
	CHECK_EQ(nyk_map_peek(a, &v), 0);
	CHECK_EQ(v, 6);
	nyk_map_destroy(a);
	nyk_map_destroy(b);

	a = mk_shared(p, NYK_MAP_PERF_EVENT_ARRAY, 4, 4, 2, 0, 2, 0);
	CHECK(a);
	b = open_shared(p);
	CHECK(b);
	v = 7;
	CHECK_EQ(nyk_perf_event_output(a, 1, 0, &v, 4, NULL, 0), 0);
	nyk_map_destroy(a);
	nyk_map_destroy(b);
	unlink(p);
}

TEST(map_shm_refusals)
{
	const char *p = shm_path("refuse");
	struct nyk_map *m = NULL;
	struct nyk_error e;

	struct nyk_map_def d = { .type = NYK_MAP_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4 };
	struct nyk_map_opts o = { .size = sizeof(o), .path = p };
	nyk_error_clear(&e);
	CHECK_EQ(nyk_map_create(&d, &o, &m, &e), -ENOTSUP);
	CHECK(strstr(e.message, "shared memory"));
	CHECK(access(p, F_OK) != 0);
	nyk_error_clear(&e);
	CHECK_EQ(nyk_map_open_shared(p, &m, &e), -ENOENT);
	CHECK(strstr(e.message, p));
	/* Not a map file. */
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	char junk[4096];
	memset(junk, 'j', sizeof(junk));
	CHECK_EQ(write(fd, junk, sizeof(junk)), (long)sizeof(junk));
	close(fd);
	CHECK_EQ(nyk_map_open_shared(p, &m, &e), -EINVAL);
	CHECK(m == NULL);
	/* Truncated. */
	unlink(p);
	m = mk_shared(p, NYK_MAP_HASH, 4, 4, 64, 0, 1, 0);
	CHECK(m);
	nyk_map_destroy(m);
	CHECK_EQ(truncate(p, 1024), 0);
	CHECK_EQ(nyk_map_open_shared(p, &m, &e), -EINVAL);
	unlink(p);
}

TEST(map_shm_reuse_or_replace)
{
	const char *p = shm_path("reuse");
	struct nyk_map *a = mk_shared(p, NYK_MAP_ARRAY, 4, 4, 4, 0, 1, 0), *b;
	uint32_t k = 1, v = 11, out;

	CHECK(a);
	CHECK_EQ(nyk_map_update(a, &k, &v, NYK_ANY), 0);
	/* NYK_MAP_SHM_REUSE keeps a matching map's contents. */
	b = mk_shared(p, NYK_MAP_ARRAY, 4, 4, 4, 0, 1, NYK_MAP_SHM_REUSE);
	CHECK(b);
	CHECK_EQ(nyk_map_lookup(b, &k, &out), 0);
	CHECK_EQ(out, 11);
	nyk_map_destroy(b);
	/* ... and refuses a different one. */
	struct nyk_map_def d = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4 };
	struct nyk_map_opts o = { .size = sizeof(o), .path = p, .flags = NYK_MAP_SHM_REUSE };
	CHECK_EQ(nyk_map_create(&d, &o, &b, NULL), -EEXIST);
	/* Without the flag the file is replaced; the old mapping keeps the old map. */
	b = mk_shared(p, NYK_MAP_ARRAY, 4, 4, 4, 0, 1, 0);
	CHECK(b);
	CHECK_EQ(nyk_map_lookup(b, &k, &out), 0);
	CHECK_EQ(out, 0);
	CHECK_EQ(nyk_map_lookup(a, &k, &out), 0);
	CHECK_EQ(out, 11);
	nyk_map_destroy(a);
	nyk_map_destroy(b);
	/* REUSE with no file creates one. */
	unlink(p);
	b = mk_shared(p, NYK_MAP_ARRAY, 4, 4, 4, 0, 1, NYK_MAP_SHM_REUSE);
	CHECK(b);
	nyk_map_destroy(b);
	unlink(p);
}

TEST(map_shm_lock_of_a_dead_process_is_taken_over)
{
	const char *p = shm_path("dead");
	struct nyk_map *a = mk_shared(p, NYK_MAP_HASH, 4, 4, 8, 0, 1, 0);
	uint32_t k = 1, v = 2;

	CHECK(a);
	fflush(stdout);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		/* Another process takes the map's lock and dies holding it. */
		struct nyk_map *b = NULL;
		if (nyk_map_open_shared(p, &b, NULL) == 0)
			map_lock(&map_htab_hdr(b)->lock);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(child, &status, 0), child);
	unlink(p);   /* mapped by us already */
	CHECK(atomic_load(&map_htab_hdr(a)->lock) == (uint32_t)child);
	/* The next update waits a little, sees the owner gone, and goes on. */
	CHECK_EQ(nyk_map_update(a, &k, &v, NYK_ANY), 0);
	CHECK_EQ(atomic_load(&map_htab_hdr(a)->lock), 0);
	nyk_map_destroy(a);
}
#endif
