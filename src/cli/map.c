/*
 * map.c - `nyuki map ...`: the maps of an object, and maps in shared
 * memory that a running program (`prog run --shm DIR`) or another process
 * uses, with bpftool's grammar:
 *
 *   nyuki map { list | show } { OBJ | shm DIR }
 *   nyuki map dump MAP
 *   nyuki map lookup MAP [key DATA]
 *   nyuki map update MAP key DATA value DATA [UPDATE_FLAGS]
 *   nyuki map delete MAP key DATA
 *   nyuki map getnext MAP [key DATA]
 *   nyuki map { push | enqueue } MAP value DATA
 *   nyuki map { pop | dequeue | peek } MAP
 *   nyuki map create shm PATH type TYPE key SIZE value SIZE entries N [name NAME] [flags F] [cpus N]
 *   nyuki map { events | event_pipe } MAP [count N] [timeout SECONDS]
 *
 *   MAP := { shm PATH | pinned PATH | OBJ [name] NAME }
 *   DATA := { [hex] BYTES }
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/objcmd.h"

/* ---- bytes ---------------------------------------------------------------- */

char *hex_text(const void *data, size_t len, bool spaced)
{
	const uint8_t *b = data;
	char *s = malloc(len * 3 + 1), *p = s;

	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < len; i++)
		p += sprintf(p, spaced && i ? " %02x" : "%02x", b[i]);
	return s;
}

void json_hex_array(const void *data, size_t len)
{
	const uint8_t *b = data;
	char item[8];

	json_begin_array();
	for (size_t i = 0; i < len; i++) {
		snprintf(item, sizeof(item), "0x%02x", b[i]);
		json_string(item);
	}
	json_end_array();
}

static void print_hex(const void *data, size_t len)
{
	const uint8_t *b = data;

	for (size_t i = 0; i < len; i++)
		printf(i ? " %02x" : "%02x", b[i]);
}

static bool is_keyword(const char *s)
{
	static const char *const words[] = { "key", "value", "any", "exist", "noexist", "count", "timeout",
					     "name", "flags", "cpus", NULL };
	for (const char *const *w = words; *w; w++)
		if (!strcmp(s, *w))
			return true;
	return s[0] == '-' && s[1] == '-';
}

int parse_data_arg(int argc, char **argv, int *i, const char *what, uint8_t **out, size_t size, size_t *len)
{
	size_t n = 0, cap = 64;
	uint8_t *buf = malloc(cap);
	bool hex = false;

	if (!buf)
		return cli_error("out of memory");
	if (*i < argc && !strcmp(argv[*i], "hex")) {
		hex = true;
		(*i)++;
	}
	for (; *i < argc && !is_keyword(argv[*i]); (*i)++) {
		uint8_t *bytes = NULL;
		size_t got = 0;

		if (hex) {
			if (cli_parse_hex(argv[*i], &bytes, &got)) {
				free(buf);
				return cli_usage_error("%s: '%s' is not hex bytes", what, argv[*i]);
			}
		} else {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(argv[*i], &end, 0);
			if (errno || *end || end == argv[*i] || v > 255 || argv[*i][0] == '-') {
				free(buf);
				return cli_usage_error("%s: '%s' is not a byte (0-255, 0x00-0xff; or write "
						       "'%s hex 01 02 ...')",
						       what, argv[*i], what);
			}
			bytes = malloc(1);
			if (bytes) {
				bytes[0] = (uint8_t)v;
				got = 1;
			}
		}
		if (n + got > cap) {
			uint8_t *bigger;
			while (n + got > cap)
				cap *= 2;
			if (!(bigger = realloc(buf, cap))) {
				free(bytes);
				free(buf);
				return cli_error("out of memory");
			}
			buf = bigger;
		}
		if (got)
			memcpy(buf + n, bytes, got);
		n += got;
		free(bytes);
	}
	(*i)--;   /* the caller's loop steps past the last byte */
	if (size && n != size) {
		free(buf);
		return cli_usage_error("%s: %zu bytes given, the map needs %zu", what, n, size);
	}
	if (!n && !size) {
		free(buf);
		return cli_usage_error("%s: no bytes given", what);
	}
	*out = buf;
	if (len)
		*len = n;
	return EXIT_OK;
}

/* ---- definitions and dumps --------------------------------------------------- */

static bool is_percpu(uint32_t type)
{
	return type == NYK_MAP_PERCPU_HASH || type == NYK_MAP_PERCPU_ARRAY || type == NYK_MAP_LRU_PERCPU_HASH;
}

static bool is_walkable(uint32_t type)
{
	return type != NYK_MAP_QUEUE && type != NYK_MAP_STACK && type != NYK_MAP_RINGBUF &&
	       type != NYK_MAP_PERF_EVENT_ARRAY;
}

static const char *type_name(uint32_t type)
{
	const char *n = nyk_map_type_name(type);
	return n ? n : "unknown";
}

void map_print_def_text(const char *name, const struct nyk_map_def *def)
{
	printf("%s  name %s  key %" PRIu32 "B  value %" PRIu32 "B  max_entries %" PRIu32 "  flags 0x%" PRIx32,
	       type_name(def->type), name, def->key_size, def->value_size, def->max_entries, def->map_flags);
}

void map_print_def_json(const char *name, const struct nyk_map_def *def)
{
	json_key("name");
	json_string(name);
	json_key("type");
	json_string(type_name(def->type));
	json_key("key_size");
	json_u64(def->key_size);
	json_key("value_size");
	json_u64(def->value_size);
	json_key("max_entries");
	json_u64(def->max_entries);
	json_key("flags");
	json_u64(def->map_flags);
}

/* One element: bpftool's text or JSON form. */
static void print_elem(struct nyk_map *map, const void *key, const void *value)
{
	const struct nyk_map_def *def = nyk_map_get_def(map);
	unsigned cpus = nyk_map_nr_cpus(map);
	size_t stride = (def->value_size + 7) / 8 * 8;
	const uint8_t *v = value;

	if (cli.json) {
		json_begin_object();
		json_key("key");
		json_hex_array(key, def->key_size);
		if (is_percpu(def->type)) {
			json_key("values");
			json_begin_array();
			for (unsigned c = 0; c < cpus; c++) {
				json_begin_object();
				json_key("cpu");
				json_u64(c);
				json_key("value");
				json_hex_array(v + c * stride, def->value_size);
				json_end_object();
			}
			json_end_array();
		} else {
			json_key("value");
			json_hex_array(value, def->value_size);
		}
		json_end_object();
		return;
	}
	if (is_percpu(def->type)) {
		printf("key:\n");
		print_hex(key, def->key_size);
		putchar('\n');
		for (unsigned c = 0; c < cpus; c++) {
			printf("value (CPU %02u): ", c);
			print_hex(v + c * stride, def->value_size);
			putchar('\n');
		}
	} else {
		printf("key: ");
		print_hex(key, def->key_size);
		printf("  value: ");
		print_hex(value, def->value_size);
		putchar('\n');
	}
}

long map_dump(struct nyk_map *map)
{
	const struct nyk_map_def *def = nyk_map_get_def(map);
	size_t ksize = def->key_size ? def->key_size : 1;
	uint8_t *key = calloc(1, ksize), *next = calloc(1, ksize);
	uint8_t *value = calloc(1, nyk_map_value_size_user(map) + 8);
	long n = 0;
	bool first = true;
	int rc = 0;

	if (cli.json)
		json_begin_array();
	if (!key || !next || !value) {
		rc = -ENOMEM;
		goto out;
	}
	while (is_walkable(def->type)) {
		rc = nyk_map_get_next_key(map, first ? NULL : key, next);
		if (rc == -ENOENT) {
			rc = 0;
			break;
		}
		if (rc < 0)
			break;
		first = false;
		memcpy(key, next, ksize);
		if (nyk_map_lookup(map, key, value) < 0)
			continue;   /* empty prog_array or map-in-map slots */
		print_elem(map, key, value);
		n++;
	}
out:
	if (cli.json)
		json_end_array();
	else if (is_walkable(def->type))
		printf("Found %ld element%s\n", n, n == 1 ? "" : "s");
	free(key);
	free(next);
	free(value);
	return rc < 0 ? rc : n;
}

/* ---- events --------------------------------------------------------------------- */

struct event_ctx {
	const char *name;
	uint64_t max, seen;
};

static void print_record(struct event_ctx *e, int cpu, const void *data, size_t size)
{
	if (cli.json) {
		char *hex = hex_text(data, size, false);
		json_begin_object();
		json_key("map");
		json_string(e->name);
		if (cpu >= 0) {
			json_key("cpu");
			json_u64((unsigned)cpu);
		}
		json_key("size");
		json_u64(size);
		json_key("data");
		json_string(hex);
		json_end_object();
		free(hex);
	} else {
		if (cpu >= 0)
			printf("event %s cpu %d (%zu bytes): ", e->name, cpu, size);
		else
			printf("event %s (%zu bytes): ", e->name, size);
		print_hex(data, size);
		putchar('\n');
	}
	e->seen++;
}

static int ringbuf_record(void *ctx, const void *data, size_t size)
{
	struct event_ctx *e = ctx;
	print_record(e, -1, data, size);
	return e->max && e->seen >= e->max;
}

static int perf_record(void *ctx, unsigned cpu, const void *data, size_t size)
{
	struct event_ctx *e = ctx;
	print_record(e, (int)cpu, data, size);
	return e->max && e->seen >= e->max;
}

static void perf_lost(void *ctx, unsigned cpu, uint64_t count)
{
	struct event_ctx *e = ctx;
	if (!cli.json)
		fprintf(stderr, "Warning: %s cpu %u: %" PRIu64 " records lost\n", e->name, cpu, count);
}

long map_print_events(struct nyk_map *map, const char *name, uint64_t max)
{
	struct event_ctx e = { name, max, 0 };
	const struct nyk_map_def *def = nyk_map_get_def(map);
	int rc;

	if (def->type == NYK_MAP_RINGBUF)
		rc = nyk_ringbuf_consume(map, ringbuf_record, &e);
	else if (def->type == NYK_MAP_PERF_EVENT_ARRAY)
		rc = nyk_perf_event_consume(map, perf_record, perf_lost, &e);
	else
		return -EINVAL;
	return rc < 0 ? rc : (long)e.seen;
}

/* ---- MAP := { shm PATH | pinned PATH | OBJ [name] NAME } -------------------------- */

struct map_ref {
	struct nyk_map *map;
	struct nyk_object *obj;   /* when the map is an object's */
	const char *name;
};

static void ref_close(struct map_ref *r)
{
	if (r->obj)
		nyk_object_close(r->obj);   /* owns the map */
	else
		nyk_map_destroy(r->map);
	memset(r, 0, sizeof(*r));
}

static int open_ref(int argc, char **argv, int *i, struct map_ref *r)
{
	struct nyk_error err;

	memset(r, 0, sizeof(*r));
	nyk_error_clear(&err);
	if (*i + 1 >= argc)
		return cli_usage_error("a MAP is needed: shm PATH, pinned PATH or OBJ NAME");
	if (!strcmp(argv[*i], "shm") || !strcmp(argv[*i], "pinned")) {
		const char *path = argv[++*i];
		(*i)++;
		if (nyk_map_open_shared(path, &r->map, &err) < 0) {
			if (!err.file[0])
				nyk_error_set_file(&err, path);
			return cli_lib_error(&err);
		}
		r->name = nyk_map_name(r->map);
		return EXIT_OK;
	}
	if (!strcmp(argv[*i], "id"))
		return cli_usage_error("maps by id are the kernel's; give shm PATH, pinned PATH or OBJ NAME");
	{
		struct nyk_object_opts opts = { .size = sizeof(opts) };
		const char *file = argv[(*i)++];

		if (*i < argc && !strcmp(argv[*i], "name"))
			(*i)++;
		if (*i >= argc)
			return cli_usage_error("a map name is needed after '%s'", file);
		r->name = argv[(*i)++];
		if (nyk_object_open(file, &opts, &r->obj, &err) < 0 || nyk_object_load(r->obj, &err) < 0) {
			if (!err.file[0])
				nyk_error_set_file(&err, file);
			ref_close(r);
			return cli_lib_error(&err);
		}
		if (!(r->map = nyk_object_find_map(r->obj, r->name))) {
			int rc = cli_error("%s: no map '%s'", file, r->name);
			ref_close(r);
			return rc;
		}
	}
	return EXIT_OK;
}

/* ---- commands ------------------------------------------------------------------- */

static int do_map_help(int argc, char **argv)
{
	fprintf(stderr,
		"Usage: %s map { list | show } { OBJ | shm DIR }\n"
		"       %s map dump MAP\n"
		"       %s map lookup MAP [key DATA]\n"
		"       %s map update MAP key DATA value DATA [UPDATE_FLAGS]\n"
		"       %s map delete MAP key DATA\n"
		"       %s map getnext MAP [key DATA]\n"
		"       %s map { push | enqueue } MAP value DATA\n"
		"       %s map { pop | dequeue | peek } MAP\n"
		"       %s map create shm PATH type TYPE key SIZE value SIZE entries N [name NAME]\n"
		"                        [flags FLAGS] [cpus N]\n"
		"       %s map { events | event_pipe } MAP [count N] [timeout SECONDS]\n"
		"       %s map help\n"
		"\n"
		"       MAP := { shm PATH | pinned PATH | OBJ [name] NAME }\n"
		"       DATA := { [hex] BYTES }\n"
		"       UPDATE_FLAGS := { any | exist | noexist }\n"
		"       shm PATH: a map in shared memory, live: one a running `prog run --shm DIR` made\n"
		"       (DIR/NAME), or `map create`; `pinned` is a synonym. OBJ NAME: a map of an ELF\n"
		"       object as it is after load (initial values; changes last for the command).\n"
		"       BYTES are numbers (1 0x1f 017) or, after `hex`, hex digits (01 1f or 011f).\n"
		"       Per-CPU maps print one value per CPU; an update with one value sets every CPU.\n"
		"       events prints ring buffer or perf event records as they come, until Ctrl-C,\n"
		"       `count` records or `timeout` seconds.\n",
		cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name,
		cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name);
	return EXIT_OK;
}

static void list_one(size_t index, const char *name, const struct nyk_map_def *def, const char *where)
{
	if (cli.json) {
		json_begin_object();
		map_print_def_json(name, def);
		if (where) {
			json_key("path");
			json_string(where);
		}
		json_end_object();
	} else {
		printf("%zu: ", index);
		map_print_def_text(name, def);
		if (where)
			printf("  path %s", where);
		putchar('\n');
	}
}

static int do_map_list(int argc, char **argv)
{
	struct nyk_error err;
	int rc = EXIT_OK;

	if (argc < 1)
		return cli_usage_error("'map list' needs OBJ or shm DIR (see '%s map help')", cli.prog_name);
	nyk_error_clear(&err);
	if (!strcmp(argv[0], "shm") || !strcmp(argv[0], "pinned")) {
		struct dirent *de;
		size_t n = 0;
		DIR *dir;

		if (argc != 2)
			return cli_usage_error("'map list shm' takes one DIR");
		if (!(dir = opendir(argv[1])))
			return cli_error("cannot open '%s': %s", argv[1], strerror(errno));
		if (cli.json)
			json_begin_array();
		while ((de = readdir(dir))) {
			char path[4096];
			struct nyk_map *m;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
			if (nyk_map_open_shared(path, &m, NULL) < 0)
				continue;   /* not a map */
			list_one(n++, nyk_map_name(m), nyk_map_get_def(m), path);
			nyk_map_destroy(m);
		}
		closedir(dir);
		if (cli.json) {
			json_end_array();
			json_finish();
		}
		return EXIT_OK;
	}
	{
		struct nyk_object_opts opts = { .size = sizeof(opts) };
		struct nyk_object *obj;

		if (argc != 1)
			return cli_usage_error("unexpected argument '%s' for 'map list'", argv[1]);
		if (nyk_object_open(argv[0], &opts, &obj, &err) < 0) {
			if (!err.file[0])
				nyk_error_set_file(&err, argv[0]);
			return cli_lib_error(&err);
		}
		if (cli.json)
			json_begin_array();
		for (size_t i = 0; i < nyk_object_map_count(obj); i++)
			list_one(i, nyk_object_map_name(obj, i), nyk_object_map_def(obj, i), NULL);
		if (cli.json) {
			json_end_array();
			json_finish();
		}
		nyk_object_close(obj);
	}
	return rc;
}

static int do_map_dump(int argc, char **argv)
{
	struct map_ref r;
	int i = 0, rc;
	long n;

	if ((rc = open_ref(argc, argv, &i, &r)))
		return rc;
	if (i < argc) {
		ref_close(&r);
		return cli_usage_error("unexpected argument '%s' for 'map dump'", argv[i]);
	}
	if (!is_walkable(nyk_map_get_def(r.map)->type)) {
		rc = cli_error("map '%s' is a %s: it cannot be dumped without consuming it (use %s)", r.name,
			       type_name(nyk_map_get_def(r.map)->type),
			       nyk_map_get_def(r.map)->type == NYK_MAP_RINGBUF ||
					       nyk_map_get_def(r.map)->type == NYK_MAP_PERF_EVENT_ARRAY
				       ? "map events"
				       : "map peek or pop");
		ref_close(&r);
		return rc;
	}
	n = map_dump(r.map);
	if (cli.json)
		json_finish();
	ref_close(&r);
	if (n < 0)
		return cli_error("dump failed: %s", strerror((int)-n));
	return EXIT_OK;
}

/* key DATA / value DATA / flags after the MAP. */
struct elem_args {
	uint8_t *key, *value;
	bool have_key, have_value;
	uint64_t flags;
	bool have_flags;
};

static int parse_elem_args(int argc, char **argv, int i, struct map_ref *r, struct elem_args *e, const char *cmd)
{
	const struct nyk_map_def *def = nyk_map_get_def(r->map);
	size_t vsize = nyk_map_value_size_user(r->map), vlen;
	int rc;

	memset(e, 0, sizeof(*e));
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "key") && i + 1 < argc) {
			i++;
			if ((rc = parse_data_arg(argc, argv, &i, "key", &e->key, def->key_size, NULL)))
				return rc;
			e->have_key = true;
		} else if (!strcmp(argv[i], "value") && i + 1 < argc) {
			i++;
			if ((rc = parse_data_arg(argc, argv, &i, "value", &e->value, 0, &vlen)))
				return rc;
			if (is_percpu(def->type) && vlen == def->value_size && vlen != vsize) {
				/* One value for every CPU, as bpftool does. */
				unsigned cpus = nyk_map_nr_cpus(r->map);
				size_t stride = (def->value_size + 7) / 8 * 8;
				uint8_t *all = calloc(1, vsize);
				if (!all)
					return cli_error("out of memory");
				for (unsigned c = 0; c < cpus; c++)
					memcpy(all + c * stride, e->value, vlen);
				free(e->value);
				e->value = all;
			} else if (vlen != (is_percpu(def->type) ? vsize : def->value_size)) {
				return cli_usage_error("value: %zu bytes given, the map needs %zu", vlen,
						       is_percpu(def->type) ? (size_t)def->value_size : vsize);
			}
			e->have_value = true;
		} else if (!strcmp(argv[i], "any") || !strcmp(argv[i], "exist") || !strcmp(argv[i], "noexist")) {
			e->flags = argv[i][0] == 'a' ? NYK_ANY : argv[i][0] == 'e' ? NYK_EXIST : NYK_NOEXIST;
			e->have_flags = true;
		} else {
			return cli_usage_error("unexpected or incomplete argument '%s' for 'map %s'", argv[i], cmd);
		}
	}
	return EXIT_OK;
}

static void close_elem(struct map_ref *r, struct elem_args *e)
{
	free(e->key);
	free(e->value);
	ref_close(r);
}

/* Open the map and parse its element arguments: the start of every element command. */
static int open_elem(int argc, char **argv, const char *cmd, struct map_ref *r, struct elem_args *e)
{
	int i = 0, rc;

	if ((rc = open_ref(argc, argv, &i, r)))
		return rc;
	if ((rc = parse_elem_args(argc, argv, i, r, e, cmd)))
		close_elem(r, e);
	return rc;
}

static int map_errno(int rc, const char *what, const struct map_ref *r)
{
	return cli_error("%s in map '%s' failed: %s", what, r->name, strerror(-rc));
}

static void print_key_value(struct nyk_map *map, const void *key, const void *value)
{
	const struct nyk_map_def *def = nyk_map_get_def(map);

	if (def->key_size) {
		print_elem(map, key, value);
	} else if (cli.json) {
		json_begin_object();
		json_key("value");
		json_hex_array(value, def->value_size);
		json_end_object();
	} else {
		printf("value: ");
		print_hex(value, def->value_size);
		putchar('\n');
	}
	if (cli.json)
		json_finish();
}

static int do_map_lookup(int argc, char **argv)
{
	struct map_ref r;
	struct elem_args e;
	uint8_t *value = NULL;
	int rc;

	if ((rc = open_elem(argc, argv, "lookup", &r, &e)))
		return rc;
	if (e.have_value || e.have_flags) {
		rc = cli_usage_error("'map lookup' takes a key only");
		goto out;
	}
	if (!e.have_key && nyk_map_get_def(r.map)->key_size) {
		rc = cli_usage_error("'map lookup' needs key DATA");
		goto out;
	}
	if (!(value = calloc(1, nyk_map_value_size_user(r.map) + 8))) {
		rc = cli_error("out of memory");
		goto out;
	}
	if ((rc = nyk_map_lookup(r.map, e.key, value)) < 0) {
		rc = rc == -ENOENT ? cli_error("key not found in map '%s'", r.name) : map_errno(rc, "lookup", &r);
		goto out;
	}
	print_key_value(r.map, e.key, value);
	rc = EXIT_OK;
out:
	free(value);
	close_elem(&r, &e);
	return rc;
}

/* The commands that change a map and print nothing: update, delete, push. */
enum elem_change { CHANGE_UPDATE, CHANGE_DELETE, CHANGE_PUSH };

/* The arguments `what` takes, or a usage error when they do not fit. */
static int check_change_args(enum elem_change what, const struct map_ref *r, const struct elem_args *e)
{
	bool key_needed = nyk_map_get_def(r->map)->key_size != 0;

	switch (what) {
	case CHANGE_UPDATE:
		if ((!e->have_key && key_needed) || !e->have_value)
			return cli_usage_error("'map update' needs key DATA and value DATA");
		break;
	case CHANGE_DELETE:
		if (!e->have_key || e->have_value || e->have_flags)
			return cli_usage_error("'map delete' needs key DATA (only)");
		break;
	case CHANGE_PUSH:
		if (e->have_key || !e->have_value)
			return cli_usage_error("'map push' needs value DATA (and no key)");
		break;
	}
	return EXIT_OK;
}

static int change_elem(int argc, char **argv, enum elem_change what)
{
	static const char *const names[] = { "update", "delete", "push" };
	struct map_ref r;
	struct elem_args e;
	int rc;

	if ((rc = open_elem(argc, argv, names[what], &r, &e)))
		return rc;
	if ((rc = check_change_args(what, &r, &e)))
		goto out;
	rc = what == CHANGE_UPDATE   ? nyk_map_update(r.map, e.key, e.value, e.flags)
	     : what == CHANGE_DELETE ? nyk_map_delete(r.map, e.key)
				     : nyk_map_push(r.map, e.value, e.flags);
	if (rc == -ENOENT && what == CHANGE_DELETE)
		rc = cli_error("key not found in map '%s'", r.name);
	else if (rc < 0)
		rc = map_errno(rc, names[what], &r);
	else
		rc = EXIT_OK;
out:
	close_elem(&r, &e);
	return rc;
}

static int do_map_update(int argc, char **argv) { return change_elem(argc, argv, CHANGE_UPDATE); }
static int do_map_delete(int argc, char **argv) { return change_elem(argc, argv, CHANGE_DELETE); }
static int do_map_push(int argc, char **argv) { return change_elem(argc, argv, CHANGE_PUSH); }

static int do_map_getnext(int argc, char **argv)
{
	struct map_ref r;
	struct elem_args e;
	uint8_t *next = NULL;
	size_t ksize;
	int rc;

	if ((rc = open_elem(argc, argv, "getnext", &r, &e)))
		return rc;
	ksize = nyk_map_get_def(r.map)->key_size;
	if (!(next = calloc(1, ksize ? ksize : 1))) {
		rc = cli_error("out of memory");
		goto out;
	}
	if ((rc = nyk_map_get_next_key(r.map, e.have_key ? e.key : NULL, next)) < 0) {
		rc = rc == -ENOENT ? cli_error("no next key in map '%s'", r.name) : map_errno(rc, "getnext", &r);
		goto out;
	}
	if (cli.json) {
		json_begin_object();
		json_key("key");
		if (e.have_key)
			json_hex_array(e.key, ksize);
		else
			json_null();
		json_key("next_key");
		json_hex_array(next, ksize);
		json_end_object();
		json_finish();
	} else {
		printf("key: ");
		if (e.have_key)
			print_hex(e.key, ksize);
		else
			printf("None");
		printf("\nnext key:\n");
		print_hex(next, ksize);
		putchar('\n');
	}
	rc = EXIT_OK;
out:
	free(next);
	close_elem(&r, &e);
	return rc;
}

static int pop_or_peek(int argc, char **argv, bool pop)
{
	struct map_ref r;
	uint8_t *value = NULL;
	int i = 0, rc;

	if ((rc = open_ref(argc, argv, &i, &r)))
		return rc;
	if (i < argc) {
		rc = cli_usage_error("unexpected argument '%s' for 'map %s'", argv[i], pop ? "pop" : "peek");
		goto out;
	}
	if (!(value = calloc(1, nyk_map_value_size_user(r.map) + 8))) {
		rc = cli_error("out of memory");
		goto out;
	}
	rc = pop ? nyk_map_pop(r.map, value) : nyk_map_peek(r.map, value);
	if (rc < 0) {
		rc = rc == -ENOENT ? cli_error("map '%s' is empty", r.name) : map_errno(rc, pop ? "pop" : "peek", &r);
		goto out;
	}
	print_key_value(r.map, NULL, value);
	rc = EXIT_OK;
out:
	free(value);
	ref_close(&r);
	return rc;
}

static int do_map_pop(int argc, char **argv) { return pop_or_peek(argc, argv, true); }
static int do_map_peek(int argc, char **argv) { return pop_or_peek(argc, argv, false); }

static int parse_u32(const char *what, const char *s, uint32_t *v)
{
	char *end;
	unsigned long long u;

	errno = 0;
	u = strtoull(s, &end, 0);
	if (errno || *end || end == s || u > UINT32_MAX || s[0] == '-')
		return cli_usage_error("%s: '%s' is not a number", what, s);
	*v = (uint32_t)u;
	return EXIT_OK;
}

static int do_map_create(int argc, char **argv)
{
	struct nyk_map_def def = { 0 };
	struct nyk_map_opts opts = { .size = sizeof(opts) };
	struct nyk_map *map;
	struct nyk_error err;
	uint32_t cpus = 0;
	bool have_type = false, have_entries = false;
	int rc;

	if (argc < 2 || (strcmp(argv[0], "shm") && strcmp(argv[0], "pinned")))
		return cli_usage_error("'map create' needs shm PATH (see '%s map help')", cli.prog_name);
	opts.path = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *k = argv[i];
		if (i + 1 >= argc)
			return cli_usage_error("'%s' needs a value", k);
		if (!strcmp(k, "type")) {
			int t = nyk_map_type_by_name(argv[++i]);
			if (t < 0)
				return cli_usage_error("unknown map type '%s'", argv[i]);
			def.type = (uint32_t)t;
			have_type = true;
		} else if (!strcmp(k, "key")) {
			if ((rc = parse_u32("key", argv[++i], &def.key_size)))
				return rc;
		} else if (!strcmp(k, "value")) {
			if ((rc = parse_u32("value", argv[++i], &def.value_size)))
				return rc;
		} else if (!strcmp(k, "entries")) {
			if ((rc = parse_u32("entries", argv[++i], &def.max_entries)))
				return rc;
			have_entries = true;
		} else if (!strcmp(k, "flags")) {
			if ((rc = parse_u32("flags", argv[++i], &def.map_flags)))
				return rc;
		} else if (!strcmp(k, "cpus")) {
			if ((rc = parse_u32("cpus", argv[++i], &cpus)))
				return rc;
		} else if (!strcmp(k, "name")) {
			def.name = argv[++i];
		} else {
			return cli_usage_error("unexpected argument '%s' for 'map create'", k);
		}
	}
	if (!have_type || !have_entries)
		return cli_usage_error("'map create' needs type TYPE and entries N");
	if (!def.name) {
		const char *slash = strrchr(opts.path, '/');
		def.name = slash ? slash + 1 : opts.path;
	}
	opts.nr_cpus = cpus;
	nyk_error_clear(&err);
	if (nyk_map_create(&def, &opts, &map, &err) < 0) {
		if (!err.file[0])
			nyk_error_set_file(&err, opts.path);
		return cli_lib_error(&err);
	}
	nyk_map_destroy(map);   /* the file stays */
	return EXIT_OK;
}

static volatile sig_atomic_t stop_events;

static void on_signal(int sig)
{
	(void)sig;
	stop_events = 1;
}

static int do_map_events(int argc, char **argv)
{
	struct map_ref r;
	uint32_t count = 0, timeout = 0;
	struct sigaction sa;
	uint64_t seen = 0;
	struct timespec start, now, pause = { 0, 10 * 1000 * 1000 };
	int i = 0, rc;

	if ((rc = open_ref(argc, argv, &i, &r)))
		return rc;
	for (; i < argc; i++) {
		const char *k = argv[i];
		if ((!strcmp(k, "count") || !strcmp(k, "--count")) && i + 1 < argc) {
			if ((rc = parse_u32("count", argv[++i], &count)))
				goto out;
		} else if ((!strcmp(k, "timeout") || !strcmp(k, "--timeout")) && i + 1 < argc) {
			if ((rc = parse_u32("timeout", argv[++i], &timeout)))
				goto out;
		} else {
			rc = cli_usage_error("unexpected or incomplete argument '%s' for 'map events'", k);
			goto out;
		}
	}
	{
		uint32_t type = nyk_map_get_def(r.map)->type;
		if (type != NYK_MAP_RINGBUF && type != NYK_MAP_PERF_EVENT_ARRAY) {
			rc = cli_error("map '%s' is a %s, not a ringbuf or perf_event_array", r.name, type_name(type));
			goto out;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	stop_events = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (cli.json)
		json_begin_array();
	while (!stop_events && (!count || seen < count)) {
		long n = map_print_events(r.map, r.name, count ? count - seen : 0);
		if (n < 0) {
			if (cli.json)
				json_end_array();
			rc = cli_error("reading map '%s' failed: %s", r.name, strerror((int)-n));
			goto out;
		}
		seen += (uint64_t)n;
		if (n > 0)
			fflush(stdout);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout && now.tv_sec - start.tv_sec >= (time_t)timeout)
			break;
		if (!n)
			nanosleep(&pause, NULL);
	}
	if (cli.json) {
		json_end_array();
		json_finish();
	}
	rc = EXIT_OK;
out:
	ref_close(&r);
	return rc;
}

static const struct cli_cmd map_cmds[] = {
	{ "list", do_map_list, "maps of an object or of a directory" },
	{ "show", do_map_list, "same as list" },
	{ "dump", do_map_dump, "every element" },
	{ "lookup", do_map_lookup, "one element" },
	{ "update", do_map_update, "add or change an element" },
	{ "delete", do_map_delete, "remove an element" },
	{ "getnext", do_map_getnext, "the key after a key" },
	{ "push", do_map_push, "push onto a queue or stack" },
	{ "enqueue", do_map_push, "same as push" },
	{ "pop", do_map_pop, "pop from a queue or stack" },
	{ "dequeue", do_map_pop, "same as pop" },
	{ "peek", do_map_peek, "look at the next element of a queue or stack" },
	{ "create", do_map_create, "create a map in shared memory" },
	{ "events", do_map_events, "follow a ring buffer or perf event array" },
	{ "event_pipe", do_map_events, "same as events" },
	{ "help", do_map_help, "this help" },
	{ NULL, NULL, NULL },
};

int do_map(int argc, char **argv)
{
	return cli_dispatch(map_cmds, argc, argv, "command", do_map_help);
}
