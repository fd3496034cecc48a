/*
 * prog_object.c - `nyuki prog ...` on ELF objects, as bpftool does it on
 * the kernel's programs: run one with its program type's context, maps and
 * helpers (BPF_PROG_TEST_RUN in user space), list what an object holds,
 * dump its programs with their source lines.
 *
 *   nyuki prog run FILE [PROG] data_in F [data_out F] [ctx_in F] [ctx_out F] [repeat N] ...
 *   nyuki prog show FILE
 *   nyuki prog dump [xlated] FILE [PROG] [linum] [opcodes]
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/objcmd.h"
#include "nyuki/btf.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"

/* ---- options shared by run, show and dump ------------------------------ */

struct obj_args {
	const char *file;
	const char *prog;
	const char *type;
	const char *btf;
	const char *shm;
	unsigned cpus;
	const char *sets[64];
	size_t nsets;
};

/* bpftool's keywords, which may be written bare ("data_in") as well as "--data-in". */
static bool is_bpftool_keyword(const char *word)
{
	static const char *const words[] = { "data_in", "data_out", "ctx_in", "ctx_out", "repeat", "type",
					     "data_size_out", "ctx_size_out", NULL };
	for (const char *const *w = words; *w; w++)
		if (!strcmp(word, *w))
			return true;
	return false;
}

/*
 * Whether `arg` is the option `keyword`: "--data-in" or "--data_in" for
 * every option, and the bare word for bpftool's keywords.
 */
static bool is_opt(const char *arg, const char *keyword)
{
	if (!strcmp(arg, keyword))
		return is_bpftool_keyword(keyword);
	if (arg[0] != '-' || arg[1] != '-')
		return false;
	for (arg += 2; *arg && *keyword; arg++, keyword++)
		if (*arg != *keyword && !(*arg == '-' && *keyword == '_'))
			return false;
	return !*arg && !*keyword;
}

/* Options every object command takes: type, --btf, --shm, --cpus (and --set, below). */
static const struct cli_opt common_opts[] = {
	CLI_STRING("type", NULL, struct obj_args, type),
	CLI_STRING("btf", NULL, struct obj_args, btf),
	CLI_STRING("shm", NULL, struct obj_args, shm),
	CLI_NUMBER("cpus", NULL, struct obj_args, cpus, 1, 4096, "a number from 1 to 4096"),
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/*
 * --set VAR=VALUE (or -s), which may be given many times; `args` starts
 * with its struct obj_args. A cli_walk.other hook.
 */
static int parse_set(void *args, int argc, char **argv, int *i)
{
	struct obj_args *a = args;
	const char *arg = argv[*i];

	if (!is_opt(arg, "set") && strcmp(arg, "-s"))
		return 0;
	if (*i + 1 >= argc)
		return -cli_usage_error("'%s' needs a value", arg);
	if (a->nsets == sizeof(a->sets) / sizeof(a->sets[0]))
		return -cli_usage_error("too many --set options");
	if (!strchr(argv[*i + 1], '='))
		return -cli_usage_error("--set takes VAR=VALUE, not '%s'", argv[*i + 1]);
	a->sets[a->nsets++] = argv[++*i];
	return 1;
}

/* Walk the arguments of object command `cmd`: its own options (`opts`, or NULL) and the common ones. */
static int walk_object_args(const char *cmd, const struct cli_opt *opts, void *args, bool takes_prog,
			    int (*other)(void *, int, char **, int *), int argc, char **argv)
{
	const struct cli_opt *const tables[] = { common_opts, opts, NULL };
	struct obj_args *o = args;   /* every command's argument struct starts with one */
	struct cli_walk w = { .cmd = cmd, .tables = tables, .args = args, .is = is_opt, .other = other,
			      .positional = { &o->file, takes_prog ? &o->prog : NULL } };

	return cli_walk_args(&w, argc, argv);
}

/* ---- --set VAR=VALUE ----------------------------------------------------- */

/* The integer type behind a BTF type (through typedefs, enums, qualifiers): size and signedness. */
static int btf_int_shape(const struct nyk_btf *btf, uint32_t type, size_t *size, bool *is_signed)
{
	const struct nyk_btf_type *t;

	if (!btf || !type)
		return -1;
	type = nyk_btf_resolve(btf, type);
	t = nyk_btf_type_by_id(btf, type);
	if (!t)
		return -1;
	switch (nyk_btf_kind(t)) {
	case NYK_BTF_INT: {
		uint32_t enc = *(const uint32_t *)(t + 1);
		*size = t->size;
		*is_signed = (enc >> 24) & 1;
		return 0;
	}
	case NYK_BTF_ENUM:
	case NYK_BTF_ENUM64:
		*size = t->size;
		*is_signed = nyk_btf_kflag(t);
		return 0;
	case NYK_BTF_PTR:
		*size = 8;
		*is_signed = false;
		return 0;
	default:
		return -1;
	}
}

/* Element type and count when `type` is an array, else 0. */
static uint32_t btf_array_of(const struct nyk_btf *btf, uint32_t type, uint32_t *elem)
{
	const struct nyk_btf_type *t;

	if (!btf || !type)
		return 0;
	t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, type));
	if (!t || nyk_btf_kind(t) != NYK_BTF_ARRAY)
		return 0;
	*elem = ((const struct nyk_btf_array *)(t + 1))->type;
	return ((const struct nyk_btf_array *)(t + 1))->nelems;
}

static int parse_c_int(const char *s, int64_t *v, bool *negative)
{
	char *end;
	uint64_t u;

	while (isspace((unsigned char)*s))
		s++;
	if (s[0] == '\'' && s[1] && s[2] == '\'' && !s[3]) {
		*v = (unsigned char)s[1];
		*negative = false;
		return 0;
	}
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		*v = s[0] == 't';
		*negative = false;
		return 0;
	}
	*negative = *s == '-';
	errno = 0;
	u = strtoull(*negative || *s == '+' ? s + 1 : s, &end, 0);
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	if (errno || end == s || *end || (*negative && u > (uint64_t)INT64_MAX + 1))
		return -1;
	*v = *negative ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* Store integer `v` in `size` bytes (host order), checking it fits. */
static int store_int(uint8_t *out, size_t size, int64_t v, bool negative, bool is_signed)
{
	uint64_t u = (uint64_t)v;

	if (size < 8) {
		uint64_t max = (1ull << (size * 8)) - 1;
		if (negative) {
			int64_t min = -(int64_t)(1ull << (size * 8 - 1));
			if (v < min)
				return -1;
		} else if (u > max) {
			return -1;
		}
	}
	(void)is_signed;
	for (size_t i = 0; i < size; i++) {
		size_t shift = i * 8;
		uint8_t b = (uint8_t)(u >> shift);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		out[size - 1 - i] = b;
#else
		out[i] = b;
#endif
	}
	return 0;
}

/*
 * VALUE := INTEGER (C syntax: 42, -1, 0x2a, 052, 'c', true) | "STRING" |
 *          hex:BYTES | {V, V, ...} (arrays of integers)
 * converted to the variable's size and type from BTF.
 */
static int apply_set(struct nyk_object *obj, const char *spec)
{
	const struct nyk_btf *btf = nyk_object_btf(obj);
	struct nyk_var_info info;
	struct nyk_error err;
	char name[128];
	const char *value, *eq = strchr(spec, '=');
	uint8_t *buf = NULL;
	size_t size, len;
	int64_t v;
	bool negative, is_signed;
	int rc;

	snprintf(name, sizeof(name), "%.*s", (int)(eq - spec), spec);
	value = eq + 1;
	if (nyk_object_find_var(obj, name, &info) < 0)
		return cli_error("--set %s: no global variable '%s' in %s", spec, name, nyk_object_name(obj));
	size = info.size;
	if (!(buf = calloc(1, size ? size : 1)))
		return cli_error("out of memory");

	if (!strncmp(value, "hex:", 4)) {
		uint8_t *bytes;
		if (cli_parse_hex(value + 4, &bytes, &len) || len > size) {
			free(buf);
			return cli_usage_error("--set %s: '%s' is not at most %zu hex bytes", name, value + 4, size);
		}
		memcpy(buf, bytes, len);
		free(bytes);
	} else if (value[0] == '"') {
		len = strlen(value);
		if (len < 2 || value[len - 1] != '"' || len - 2 > size) {
			free(buf);
			return cli_usage_error("--set %s: a string in quotes of at most %zu characters, not %s", name,
					       size, value);
		}
		memcpy(buf, value + 1, len - 2);   /* zero-padded, like a C initialiser */
	} else if (value[0] == '{') {
		uint32_t elem = 0, n = btf_array_of(btf, info.btf_type, &elem);
		size_t esize;
		char *copy = strdup(value + 1), *tok, *save = NULL;

		if (!n || btf_int_shape(btf, elem, &esize, &is_signed) || !copy) {
			free(copy);
			free(buf);
			return cli_usage_error("--set %s: {...} needs an array of integers (with BTF)", name);
		}
		if (strchr(copy, '}'))
			*strchr(copy, '}') = '\0';
		len = 0;
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save), len++) {
			if (len == n || parse_c_int(tok, &v, &negative) ||
			    store_int(buf + len * esize, esize, v, negative, is_signed)) {
				free(copy);
				free(buf);
				return cli_usage_error("--set %s: '%s' is not a list of at most %u integers of %zu bytes",
						       name, value, n, esize);
			}
		}
		free(copy);
	} else {
		if (parse_c_int(value, &v, &negative))
			rc = -1;
		else if (btf_int_shape(btf, info.btf_type, &len, &is_signed) == 0)
			rc = len == size ? store_int(buf, size, v, negative, is_signed) : -1;
		else if (size == 1 || size == 2 || size == 4 || size == 8)
			rc = store_int(buf, size, v, negative, true);   /* no BTF: an integer of the symbol's size */
		else
			rc = -1;
		if (rc) {
			free(buf);
			return cli_usage_error("--set %s: '%s' is not an integer that fits in %zu bytes (use \"string\", "
					       "hex:BYTES or {1,2,...})",
					       name, value, size);
		}
	}
	nyk_error_clear(&err);
	rc = nyk_object_set_var(obj, name, buf, size, &err);
	free(buf);
	if (rc < 0)
		return cli_lib_error(&err);
	return EXIT_OK;
}

/* ---- opening ------------------------------------------------------------- */

/* "first, second, ..." : the object's programs, for errors that ask to name one. */
static void program_names(struct nyk_object *obj, char *names, size_t size)
{
	names[0] = '\0';
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		size_t len = strlen(names);
		snprintf(names + len, size - len, "%s%s", i ? ", " : "", nyk_program_name(nyk_object_program(obj, i)));
	}
}

/*
 * Open FILE with the options, set the variables, pick the program (PROG,
 * or the only one) and give it a type, then load. On a load failure
 * *obj stays open (for listings) and the error is printed.
 */
static int open_object(const struct obj_args *a, bool need_prog, bool do_load, struct nyk_object **objp,
		       struct nyk_program **progp)
{
	struct nyk_object_opts opts = { .size = sizeof(opts) };
	struct nyk_program *prog = NULL;
	struct nyk_object *obj;
	struct nyk_error err;
	char names[512];
	int rc;

	*objp = NULL;
	if (progp)
		*progp = NULL;
	opts.target_btf_path = a->btf;
	opts.default_type = a->type;
	opts.shm_dir = a->shm;
	opts.nr_cpus = a->cpus;
	if (a->type && !nyk_progtype_by_name(a->type))
		return cli_usage_error("unknown program type '%s'", a->type);
	nyk_error_clear(&err);
	if (nyk_object_open(a->file, &opts, &obj, &err) < 0) {
		return cli_lib_error_in(&err, a->file);
	}
	*objp = obj;
	for (size_t i = 0; i < a->nsets; i++)
		if ((rc = apply_set(obj, a->sets[i])))
			return rc;
	if (a->prog) {
		prog = nyk_object_find_program(obj, a->prog);
		if (!prog) {
			program_names(obj, names, sizeof(names));
			return cli_error("%s: no program '%s' (programs: %s)", a->file, a->prog,
					 names[0] ? names : "none");
		}
	} else if (need_prog) {
		size_t n = nyk_object_program_count(obj);
		if (n == 0)
			return cli_error("%s: no programs", a->file);
		if (n > 1) {
			program_names(obj, names, sizeof(names));
			return cli_usage_error("%s has %zu programs (%s): name one", a->file, n, names);
		}
		prog = nyk_object_program(obj, 0);
	}
	if (prog && a->type) {
		nyk_error_clear(&err);
		if (nyk_program_set_type(prog, a->type, &err) < 0)
			return cli_lib_error(&err);
	}
	if (progp)
		*progp = prog;
	if (!do_load)
		return EXIT_OK;
	nyk_error_clear(&err);
	if (nyk_object_load(obj, &err) < 0) {
		return cli_lib_error_in(&err, a->file);
	}
	return EXIT_OK;
}

/* ---- output shared by run and show ------------------------------------------ */

/* A list: a JSON array under `key`, or in text a `header:` line (none when NULL). */
static void list_begin(const char *key, const char *header)
{
	if (cli.json) {
		json_key(key);
		json_begin_array();
	} else if (header) {
		printf("%s:\n", header);
	}
}

/* The end of a list; a text list with a header says "(none)" when nothing was shown. */
static void list_end(const char *header, size_t shown)
{
	if (cli.json)
		json_end_array();
	else if (header && !shown)
		printf("  (none)\n");
}

/* ---- prog run on objects --------------------------------------------------- */

/* Options of the vm path that an object run does not take. */
static bool is_raw_only(const char *arg)
{
	return !strcmp(arg, "--mem") || !strcmp(arg, "--mem-hex") || !strcmp(arg, "--func") ||
	       !strcmp(arg, "--trace") || !strcmp(arg, "--budget");
}

/* The option of an object command's table that `arg` spells, or NULL. */
static const struct cli_opt *object_opt(const char *arg);

static bool takes_value(const char *arg)
{
	const struct cli_opt *o = object_opt(arg);

	if (!strcmp(arg, "--mem") || !strcmp(arg, "--mem-hex") || !strcmp(arg, "--func") ||
	    !strcmp(arg, "--budget") || !strcmp(arg, "-s") || is_opt(arg, "set") || is_opt(arg, "dump_map"))
		return true;
	return o && (o->kind == CLI_OPT_STRING || o->kind == CLI_OPT_NUMBER);
}

/* Object-only words: with one of these an ELF file always goes to the object loader. */
static bool is_object_word(const char *arg)
{
	static const char *const words[] = { "data_out", "ctx_in", "ctx_out", "type", "data_size_out",
					     "ctx_size_out", "btf", "shm", "cpus", "set", "data_hex", "ctx_hex",
					     "dump_maps", "dump_map", "events", "no_events", "prog", NULL };
	if (!strcmp(arg, "-s"))
		return true;
	for (const char *const *w = words; *w; w++)
		if (is_opt(arg, *w))
			return true;
	return false;
}

bool prog_run_wants_object(int argc, char **argv)
{
	const char *file = NULL;
	bool object_words = false;
	struct nyk_object *obj = NULL;
	struct nyk_object_opts opts = { .size = sizeof(opts) };
	unsigned char magic[4];
	bool want = false;
	FILE *f;

	for (int i = 0; i < argc; i++) {
		if (is_raw_only(argv[i]))
			return false;
		if (is_object_word(argv[i]))
			object_words = true;
		if (takes_value(argv[i]))
			i++;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else if (argv[i][0] != '-')
			object_words = true;   /* FILE PROG */
	}
	if (!file || !(f = fopen(file, "rb")))
		return false;
	want = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
	fclose(f);
	if (!want)
		return false;
	if (object_words)
		return true;
	/* An ELF with maps or a program of a known type; a bare .text function keeps the plain vm. */
	if (nyk_object_open(file, &opts, &obj, NULL) < 0)
		return false;
	want = nyk_object_map_count(obj) > 0;
	for (size_t i = 0; !want && i < nyk_object_program_count(obj); i++)
		want = nyk_program_type(nyk_object_program(obj, i)) != NULL;
	nyk_object_close(obj);
	return want;
}

struct run_args {
	struct obj_args o;   /* first: walk_object_args */
	const char *data_in, *data_out, *ctx_in, *ctx_out, *data_hex, *ctx_hex;
	uint64_t repeat, data_size_out, ctx_size_out;
	bool checked, unchecked, dump_all, events, no_events, jit, interp, no_verify;
	const char *dump[32];
	size_t ndump;
};

static const struct cli_opt run_opts[] = {
	CLI_STRING("data_in", NULL, struct run_args, data_in),
	CLI_STRING("data_out", NULL, struct run_args, data_out),
	CLI_STRING("ctx_in", NULL, struct run_args, ctx_in),
	CLI_STRING("ctx_out", NULL, struct run_args, ctx_out),
	CLI_STRING("data_hex", NULL, struct run_args, data_hex),
	CLI_STRING("ctx_hex", NULL, struct run_args, ctx_hex),
	CLI_STRING("prog", NULL, struct run_args, o.prog),
	CLI_NUMBER("repeat", NULL, struct run_args, repeat, 1, UINT64_MAX, "a positive number"),
	CLI_NUMBER("data_size_out", NULL, struct run_args, data_size_out, 0, UINT64_MAX, "a number"),
	CLI_NUMBER("ctx_size_out", NULL, struct run_args, ctx_size_out, 0, UINT64_MAX, "a number"),
	CLI_SET("dump_maps", NULL, struct run_args, dump_all),
	CLI_SET("events", NULL, struct run_args, events),
	CLI_SET("no_events", NULL, struct run_args, no_events),
	CLI_SET("checked", NULL, struct run_args, checked),
	CLI_SET("unchecked", NULL, struct run_args, unchecked),
	CLI_SET("no_verify", NULL, struct run_args, no_verify),
	CLI_SET("jit", NULL, struct run_args, jit),
	CLI_SET("interp", NULL, struct run_args, interp),
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cli_opt *object_opt(const char *arg)
{
	const struct cli_opt *const tables[] = { common_opts, run_opts, NULL };

	for (const struct cli_opt *const *t = tables; *t; t++)
		for (const struct cli_opt *o = *t; o->name; o++)
			if (is_opt(arg, o->name))
				return o;
	return NULL;
}

/* --set, and --dump-map NAME, which may be given many times. */
static int parse_run_lists(void *args, int argc, char **argv, int *i)
{
	struct run_args *r = args;
	int rc = parse_set(args, argc, argv, i);

	if (rc || !is_opt(argv[*i], "dump_map"))
		return rc;
	if (*i + 1 >= argc)
		return -cli_usage_error("'%s' needs a value", argv[*i]);
	if (r->ndump == sizeof(r->dump) / sizeof(r->dump[0]))
		return -cli_usage_error("too many --dump-map options");
	r->dump[r->ndump++] = argv[++*i];
	return 1;
}

static int parse_run_args(struct run_args *r, int argc, char **argv)
{
	int rc = walk_object_args("prog run", run_opts, r, true, parse_run_lists, argc, argv);

	if (rc)
		return rc;
	if (!r->o.file)
		return cli_usage_error("'prog run' needs a FILE (see '%s prog help')", cli.prog_name);
	if ((rc = cli_not_both(r->data_in != NULL, "data_in", r->data_hex != NULL, "--data-hex")) ||
	    (rc = cli_not_both(r->ctx_in != NULL, "ctx_in", r->ctx_hex != NULL, "--ctx-hex")) ||
	    (rc = cli_not_both(r->events, "--events", r->no_events, "--no-events")) ||
	    (rc = cli_not_both(r->checked, "--checked", r->unchecked, "--unchecked")))
		return rc;
	return cli_check_executor(r->jit, r->interp);
}

static int read_input(const char *file, const char *hex, const char *what, uint8_t **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (file) {
		char *data;
		int rc = cli_read_file(file, &data, len);
		if (rc)
			return rc;
		*buf = (uint8_t *)data;
	} else if (hex && cli_parse_hex(hex, buf, len)) {
		return cli_usage_error("%s: '%s' is not a list of hex bytes", what, hex);
	}
	return EXIT_OK;
}

/* data_out/ctx_out: "-" prints hex on stdout (text mode; JSON carries it anyway), else a file. */
static int write_output(const char *path, const void *data, size_t len, const char *what)
{
	if (!path)
		return EXIT_OK;
	if (!strcmp(path, "-")) {
		if (!cli.json) {
			char *hex = hex_text(data, len, true);
			printf("%s: %s\n", what, hex ? hex : "");
			free(hex);
		}
		return EXIT_OK;
	}
	return cli_write_file(path, data, len);
}

static bool map_is_event_source(const struct nyk_map_def *def)
{
	return def && (def->type == NYK_MAP_RINGBUF || def->type == NYK_MAP_PERF_EVENT_ARRAY);
}

static bool wanted_map(const struct run_args *r, const char *name)
{
	if (r->dump_all)
		return true;
	for (size_t i = 0; i < r->ndump; i++)
		if (!strcmp(r->dump[i], name))
			return true;
	return false;
}

static void print_maps(struct nyk_object *obj, const struct run_args *r)
{
	size_t n = nyk_object_map_count(obj);

	list_begin("maps", NULL);
	for (size_t i = 0; i < n; i++) {
		const char *name = nyk_object_map_name(obj, i);
		struct nyk_map *map = nyk_object_map(obj, i);
		const struct nyk_map_def *def = nyk_object_map_def(obj, i);

		if (!map || !wanted_map(r, name))
			continue;
		if (cli.json) {
			json_begin_object();
			map_print_def_json(name, def);
			json_key("entries");
			map_dump(map);
			json_end_object();
		} else {
			printf("\nmap ");
			map_print_def_text(name, def);
			printf(":\n");
			if (map_is_event_source(def) || def->type == NYK_MAP_QUEUE || def->type == NYK_MAP_STACK)
				printf("(not dumped: reading it would consume it)\n");
			else
				map_dump(map);
		}
	}
	list_end(NULL, 0);
}

/* Every global variable after the run: JSON "globals": {"name": "hex"}, text "name = hex". */
static void print_globals(struct nyk_object *obj)
{
	size_t n = nyk_object_var_count(obj);

	if (cli.json) {
		json_key("globals");
		json_begin_object();
	} else if (n) {
		printf("\nglobals:\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct nyk_var_info info;
		uint8_t *buf;
		char *hex;

		if (nyk_object_var(obj, i, &info) < 0 || !(buf = calloc(1, info.size ? info.size : 1)))
			continue;
		if (nyk_object_get_var(obj, info.name, buf, info.size, NULL) == 0) {
			hex = hex_text(buf, info.size, !cli.json);
			if (cli.json) {
				json_key(info.name);
				json_string(hex);
			} else {
				printf("  %s = %s\n", info.name, hex ? hex : "");
			}
			free(hex);
		}
		free(buf);
	}
	if (cli.json)
		json_end_object();
}

static void print_events(struct nyk_object *obj)
{
	size_t n = nyk_object_map_count(obj);

	list_begin("events", NULL);
	for (size_t i = 0; i < n; i++) {
		struct nyk_map *map = nyk_object_map(obj, i);
		if (map && map_is_event_source(nyk_object_map_def(obj, i)))
			map_print_events(map, nyk_object_map_name(obj, i), 0);
	}
	list_end(NULL, 0);
}

static bool has_event_maps(struct nyk_object *obj)
{
	for (size_t i = 0; i < nyk_object_map_count(obj); i++)
		if (map_is_event_source(nyk_object_map_def(obj, i)))
			return true;
	return false;
}

/* What the run asked to see besides its result: events, maps, globals. */
static void print_after_run(struct nyk_object *obj, const struct run_args *r)
{
	if (!r->no_events && (r->events || has_event_maps(obj)))
		print_events(obj);
	if (r->dump_all || r->ndump)
		print_maps(obj, r);
	if (r->dump_all)
		print_globals(obj);
}

/* A JSON member "key": "hex of the bytes". */
static void json_hex(const char *key, const void *data, size_t len)
{
	char *hex = hex_text(data, len, false);

	json_key(key);
	json_string(hex);
	free(hex);
}

/* After a failed run: the CO-RE relocations of the program that could not be resolved. */
static void print_core_failures(const struct nyk_program *prog)
{
	const struct nyk_core_failure *f;
	size_t n = nyk_program_core_failures(prog, &f);

	if (cli.json)
		return;
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "note: insn %zu: %s\n", f[i].insn, f[i].message);
}

int prog_run_object(int argc, char **argv)
{
	struct run_args r = { 0 };
	struct nyk_object *obj = NULL;
	struct nyk_program *prog = NULL;
	struct nyk_test_run run = { .size = sizeof(run) };
	uint8_t *data = NULL, *ctx = NULL, *data_out = NULL, *ctx_out = NULL;
	size_t data_len = 0, ctx_len = 0;
	struct nyk_error err;
	uint64_t retval;
	int rc;

	if ((rc = parse_run_args(&r, argc, argv)))
		return rc;
	if ((rc = read_input(r.data_in, r.data_hex, "--data-hex", &data, &data_len)) ||
	    (rc = read_input(r.ctx_in, r.ctx_hex, "--ctx-hex", &ctx, &ctx_len)))
		goto out;
	if ((rc = open_object(&r.o, true, true, &obj, &prog)))
		goto out;
	nyk_error_clear(&err);
	if (nyk_program_runnable(prog, &err) < 0) {
		nyk_error_set_file(&err, r.o.file);
		rc = cli_lib_error(&err);
		goto out;
	}
	if (!r.no_verify && (rc = prog_run_verify_program(r.o.file, prog))) {
		print_core_failures(prog);
		goto out;
	}

	run.data_in = data;
	run.data_size_in = data_len;
	run.ctx_in = ctx;
	run.ctx_size_in = ctx_len;
	run.repeat = r.repeat;
	/*
	 * Verified, it runs as the kernel runs it: without bounds checks or a
	 * budget. So may what it tail-calls, once that is verified too.
	 */
	if (r.unchecked || (!r.no_verify && !r.checked && prog_run_targets_verified(obj, prog)))
		run.flags = NYK_RUN_UNCHECKED;
	/* As for raw programs: the JIT where this build has one, unless --interp. */
	if (r.interp)
		run.flags |= NYK_RUN_INTERP;   /* the library runs on the JIT by default */
	else if (nyk_vm_jit_available())
		run.flags |= NYK_RUN_JIT;
	/* Room for what a program may add (xdp_adjust_tail, headroom pushes). */
	run.data_size_out = r.data_size_out ? r.data_size_out : data_len + 4096;
	run.ctx_size_out = r.ctx_size_out ? r.ctx_size_out : (ctx_len > 1024 ? ctx_len : 1024);
	if (!(data_out = calloc(1, run.data_size_out)) || !(ctx_out = calloc(1, run.ctx_size_out))) {
		rc = cli_error("out of memory");
		goto out;
	}
	run.data_out = data_out;
	run.ctx_out = ctx_out;
	nyk_error_clear(&err);
	if (nyk_program_test_run(prog, &run, &err) < 0) {
		rc = cli_lib_error_in(&err, r.o.file);
		print_core_failures(prog);
		goto out;
	}
	/* BPF_PROG_TEST_RUN reports a u32; so does bpftool. */
	retval = run.retval;
	if (nyk_progtype_kernel_type(nyk_program_type(prog)))
		retval = (uint32_t)retval;

	if ((rc = write_output(r.data_out, data_out, run.data_size_out, "data_out")) ||
	    (rc = write_output(r.ctx_out, ctx_out, run.ctx_size_out, "ctx_out")))
		goto out;
	if (cli.json) {
		json_begin_object();
		json_key("retval");
		json_u64(retval);
		json_key("duration_ns");
		json_u64(run.duration_ns);
		json_key("repeat");
		json_u64(r.repeat ? r.repeat : 1);
		json_key("program");
		json_string(nyk_program_name(prog));
		json_key("type");
		json_string(nyk_progtype_name(nyk_program_type(prog)));
		json_key("executor");
		json_string(run.flags & NYK_RUN_JIT ? "jit" : "interp");
		if (data)
			json_hex("data_out", data_out, run.data_size_out);
		if (ctx || r.ctx_out)
			json_hex("ctx_out", ctx_out, run.ctx_size_out);
		print_after_run(obj, &r);
		json_end_object();
		json_finish();
	} else {
		printf("Return value: %" PRIu64 ", duration%s: %" PRIu64 "ns\n", retval,
		       r.repeat > 1 ? " (average)" : "", run.duration_ns);
		print_after_run(obj, &r);
	}
	for (size_t i = 0; i < r.ndump; i++)
		if (nyk_object_find_map_index(obj, r.dump[i]) < 0) {
			rc = cli_error("--dump-map: no map '%s' in %s", r.dump[i], r.o.file);
			goto out;
		}
	rc = EXIT_OK;
out:
	nyk_object_close(obj);
	free(data);
	free(ctx);
	free(data_out);
	free(ctx_out);
	return rc;
}

/* ---- prog show FILE ------------------------------------------------------- */

static const char *type_name_or(const struct nyk_program *prog)
{
	const struct nyk_progtype *t = nyk_program_type(prog);
	return t ? nyk_progtype_name(t) : "unknown";
}

/* A JSON object for a program, opened, with its name and section. */
static void json_program_begin(const struct nyk_program *prog)
{
	json_begin_object();
	json_key("name");
	json_string(nyk_program_name(prog));
	json_key("section");
	json_string(nyk_program_section(prog));
}

static bool is_data_section(const struct nyk_object *obj, size_t map)
{
	const char *sec = nyk_object_map_section(obj, map);
	return sec && sec[0] == '.' && strcmp(sec, ".maps");
}

static void show_programs(struct nyk_object *obj)
{
	size_t n = nyk_object_program_count(obj);

	list_begin("programs", "programs");
	for (size_t i = 0; i < n; i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		size_t count = 0;

		nyk_program_insns(p, &count);
		if (cli.json) {
			json_program_begin(p);
			json_key("type");
			if (nyk_program_type(p))
				json_string(nyk_progtype_name(nyk_program_type(p)));
			else
				json_null();
			json_key("insns");
			json_u64(count);
			json_end_object();
		} else {
			printf("  %zu: %-14s name %-20s section %-18s insns %zu\n", i, type_name_or(p),
			       nyk_program_name(p), nyk_program_section(p), count);
		}
	}
	list_end("programs", n);
}

static void show_maps(struct nyk_object *obj)
{
	size_t n = nyk_object_map_count(obj), shown = 0;

	list_begin("maps", "maps");
	for (size_t i = 0; i < n; i++) {
		const struct nyk_map_def *def = nyk_object_map_def(obj, i);

		if (is_data_section(obj, i) || !def)
			continue;
		shown++;
		if (cli.json) {
			json_begin_object();
			map_print_def_json(nyk_object_map_name(obj, i), def);
			json_key("section");
			json_string(nyk_object_map_section(obj, i));
			json_end_object();
		} else {
			printf("  %zu: ", i);
			map_print_def_text(nyk_object_map_name(obj, i), def);
			printf("\n");
		}
	}
	list_end("maps", shown);
}

static void show_data_sections(struct nyk_object *obj)
{
	size_t n = nyk_object_map_count(obj), vars = nyk_object_var_count(obj), shown = 0;

	list_begin("data_sections", "data sections");
	for (size_t i = 0; i < n; i++) {
		const struct nyk_map_def *def = nyk_object_map_def(obj, i);

		if (!is_data_section(obj, i) || !def)
			continue;
		shown++;
		if (cli.json) {
			json_begin_object();
			json_key("name");
			json_string(nyk_object_map_name(obj, i));
			json_key("size");
			json_u64(def->value_size);
			json_key("vars");
			json_begin_array();
		} else {
			printf("  %-16s %5" PRIu32 " bytes%s", nyk_object_map_name(obj, i), def->value_size,
			       (def->map_flags & NYK_F_RDONLY_PROG) ? ", read-only" : "");
		}
		for (size_t v = 0, k = 0; v < vars; v++) {
			struct nyk_var_info info;
			if (nyk_object_var(obj, v, &info) < 0 || info.map != i)
				continue;
			if (cli.json) {
				json_begin_object();
				json_key("name");
				json_string(info.name);
				json_key("offset");
				json_u64(info.offset);
				json_key("size");
				json_u64(info.size);
				json_end_object();
			} else {
				printf("%s%s (%" PRIu32 "@%" PRIu32 ")", k++ ? ", " : ": ", info.name, info.size,
				       info.offset);
			}
		}
		if (cli.json) {
			json_end_array();
			json_end_object();
		} else {
			printf("\n");
		}
	}
	list_end("data sections", shown);
}

int do_prog_show(int argc, char **argv)
{
	struct obj_args a = { 0 };
	struct nyk_object *obj = NULL;
	struct nyk_error err;
	int rc, load_rc;

	if ((rc = walk_object_args("prog show", NULL, &a, false, parse_set, argc, argv)))
		return rc;
	if (!a.file)
		return cli_usage_error("'prog show' needs a FILE (see '%s prog help')", cli.prog_name);
	if ((rc = open_object(&a, false, false, &obj, NULL))) {
		nyk_object_close(obj);
		return rc;
	}
	/* Load to know it loads (and to count linked instructions), but list it either way. */
	nyk_error_clear(&err);
	load_rc = nyk_object_load(obj, &err);
	if (cli.json) {
		json_begin_object();
		json_key("file");
		json_string(a.file);
		json_key("license");
		json_string(nyk_object_license(obj));
		json_key("loaded");
		json_bool(load_rc == 0);
		if (load_rc) {
			char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];
			cli_error_default_file(&err, a.file);
			json_key("error");
			json_string(nyk_error_format(&err, buf, sizeof(buf)));
		}
		show_programs(obj);
		show_maps(obj);
		show_data_sections(obj);
		json_end_object();
		json_finish();
	} else {
		const char *lic = nyk_object_license(obj);
		printf("%s: license %s%s\n", a.file, lic && *lic ? lic : "(none)",
		       nyk_object_btf(obj) ? ", BTF" : "");
		show_programs(obj);
		show_maps(obj);
		show_data_sections(obj);
	}
	rc = EXIT_OK;
	if (load_rc) {
		cli_error_default_file(&err, a.file);
		if (cli.json)
			rc = EXIT_FAIL;   /* the error is in the document */
		else
			rc = cli_lib_error(&err);
	}
	nyk_object_close(obj);
	return rc;
}

/* ---- prog dump FILE [PROG] [linum] [opcodes] --------------------------------- */

struct dump_opts {
	bool linum, opcodes, no_source;
};

struct dump_args {
	struct obj_args o;   /* first: walk_object_args */
	struct dump_opts d;
};

static const struct cli_opt dump_opts[] = {
	CLI_SET("linum", "linum", struct dump_args, d.linum),
	CLI_SET("opcodes", "opcodes", struct dump_args, d.opcodes),
	CLI_CLEAR("source", "source", struct dump_args, d.no_source),
	CLI_SET("no_source", "nosource", struct dump_args, d.no_source),
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

/* The text of one instruction, with helper names and map names filled in as bpftool does. */
static void insn_text(struct nyk_object *obj, const struct nyk_program *prog, const struct nyk_insn *insns,
		      size_t count, size_t pc, char *buf, size_t size)
{
	const struct nyk_insn *in = &insns[pc];
	size_t len;

	if (nyk_disasm_insn(insns, count, pc, NYK_SYNTAX_C, buf, size) < 0)
		return;
	len = strlen(buf);
	if (in->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL)) {
		if (nyk_insn_src(in) == NYK_CALL_HELPER) {
			const char *name = nyk_helper_name((uint32_t)in->imm);
			if (name)
				snprintf(buf, size, "call %s#%d", name, in->imm);
		} else if (nyk_insn_src(in) == NYK_CALL_LOCAL) {
			long target = (long)pc + 1 + in->imm;
			const char *name = target >= 0 ? nyk_program_func_name(prog, (size_t)target) : NULL;
			if (name)
				snprintf(buf + len, size - len, "  ; %s", name);
		}
	} else if (nyk_insn_slots(in) == 2 &&
		   (nyk_insn_src(in) == NYK_PSEUDO_MAP_IDX || nyk_insn_src(in) == NYK_PSEUDO_MAP_IDX_VALUE)) {
		const char *name = nyk_object_map_name(obj, (size_t)(uint32_t)in->imm);
		if (name)
			snprintf(buf + len, size - len, "  ; %s", name);
	}
}

static void dump_program(struct nyk_object *obj, struct nyk_program *prog, const struct dump_opts *d)
{
	size_t count = 0;
	const struct nyk_insn *insns = nyk_program_insns(prog, &count);
	struct nyk_line_info last = { 0 };
	bool have_last = false;

	if (cli.json) {
		json_program_begin(prog);
		json_key("insns");
		json_begin_array();
	} else {
		printf("%s: %s, section %s, %zu insns\n", nyk_program_name(prog), type_name_or(prog),
		       nyk_program_section(prog), count);
	}
	for (size_t pc = 0; pc < count;) {
		char text[160];
		struct nyk_line_info li;
		bool have_li = !d->no_source && nyk_program_line_info(prog, pc, &li) == 0 && li.file;
		bool new_line = have_li && (!have_last || li.line != last.line || li.column != last.column ||
					    strcmp(li.file, last.file));
		const char *func = nyk_program_func_name(prog, pc);
		unsigned slots = nyk_insn_slots(&insns[pc]);

		if (pc + slots > count)
			slots = 1;
		insn_text(obj, prog, insns, count, pc, text, sizeof(text));
		if (cli.json) {
			char *hex = hex_text(&insns[pc], slots * sizeof(*insns), false);
			json_begin_object();
			json_key("pc");
			json_u64(pc);
			if (func) {
				json_key("function");
				json_string(func);
			}
			json_key("opcodes");
			json_string(hex);
			free(hex);
			json_key("text");
			json_string(text);
			if (have_li) {
				json_key("src");
				json_begin_object();
				json_key("file");
				json_string(li.file);
				json_key("line");
				json_u64(li.line);
				json_key("column");
				json_u64(li.column);
				if (li.line_text) {
					json_key("text");
					json_string(li.line_text);
				}
				json_end_object();
			}
			json_end_object();
		} else {
			if (func && (pc > 0 || strcmp(func, nyk_program_name(prog))))
				printf("%s:\n", func);
			if (new_line) {
				const char *t = li.line_text ? li.line_text : "";
				while (*t == ' ' || *t == '\t')
					t++;
				if (d->linum)
					printf("; %s // %s:%u:%u\n", t, base_name(li.file), li.line, li.column);
				else if (*t)
					printf("; %s\n", t);
			}
			printf("%5zu: (%02x) %s", pc, insns[pc].opcode, text);
			if (d->opcodes) {
				const uint8_t *b = (const uint8_t *)&insns[pc];
				printf("\n       ");
				for (size_t k = 0; k < slots * sizeof(*insns); k++)
					printf(" %02x", b[k]);
			}
			putchar('\n');
		}
		if (new_line) {
			last = li;
			have_last = true;
		}
		pc += slots;
	}
	if (cli.json) {
		json_end_array();
		json_end_object();
	}
}

int do_prog_dump(int argc, char **argv)
{
	struct dump_args da = { 0 };
	struct nyk_object *obj = NULL;
	struct nyk_program *prog = NULL;
	struct nyk_error err;
	int rc, load_rc;

	if (argc > 0 && !strcmp(argv[0], "xlated")) {
		argc--;
		argv++;
	}
	if ((rc = walk_object_args("prog dump", dump_opts, &da, true, parse_set, argc, argv)))
		return rc;
	if (!da.o.file)
		return cli_usage_error("'prog dump' needs a FILE (see '%s prog help')", cli.prog_name);
	if ((rc = open_object(&da.o, false, false, &obj, &prog))) {
		nyk_object_close(obj);
		return rc;
	}
	nyk_error_clear(&err);
	load_rc = nyk_object_load(obj, &err);
	if (load_rc && !cli.json) {
		char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];
		cli_error_default_file(&err, da.o.file);
		fprintf(stderr, "Warning: %s\n(the instructions as in the file, not linked)\n",
			nyk_error_format(&err, buf, sizeof(buf)));
	}
	if (cli.json)
		json_begin_array();
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		if (prog && p != prog)
			continue;
		if (!cli.json && !prog && i > 0)
			putchar('\n');
		dump_program(obj, p, &da.d);
	}
	if (cli.json) {
		json_end_array();
		json_finish();
	}
	rc = EXIT_OK;
	if (load_rc) {
		cli_error_default_file(&err, da.o.file);
		rc = cli.json ? cli_lib_error(&err) : EXIT_FAIL;
	}
	nyk_object_close(obj);
	return rc;
}

void prog_object_help(void)
{
	fprintf(stderr,
		"\n"
		"       %s prog run OBJ [PROG] [data_in FILE] [data_out FILE] [ctx_in FILE] [ctx_out FILE]\n"
		"                       [repeat N] [type TYPE] [data_size_out N] [ctx_size_out N]\n"
		"                       [--set VAR=VALUE]... [--btf TARGET] [--shm DIR] [--cpus N]\n"
		"                       [--data-hex HEX] [--ctx-hex HEX] [--dump-maps] [--dump-map NAME]...\n"
		"                       [--events | --no-events] [--checked | --unchecked] [--jit | --interp]\n"
		"                       [--no-verify]\n"
		"       %s prog { show | list } OBJ\n"
		"       %s prog dump [xlated] OBJ [PROG] [linum] [opcodes] [nosource]\n"
		"\n"
		"       OBJ := an ELF object from clang or gcc (-target bpf), with its maps and BTF\n"
		"       PROG := { FUNCTION | SECTION }   (needed when the object has several programs)\n"
		"       VALUE := { INTEGER | \"STRING\" | hex:BYTES | {INTEGER,...} }\n"
		"       run      load the object (maps, relocations, CO-RE) and run PROG as BPF_PROG_TEST_RUN\n"
		"                does, with its program type's context around data_in; prints the return\n"
		"                value and the average duration, ring buffer and perf event records, and\n"
		"                with --dump-maps the maps afterwards. `-` as data_out/ctx_out prints hex.\n"
		"                --set sets a global (.data, .rodata, .bss, ...) before load, as a skeleton\n"
		"                would; --btf gives the CO-RE target (default: /sys/kernel/btf/vmlinux, else\n"
		"                the object's own BTF); --shm puts the maps in files under DIR that\n"
		"                `%s map ... shm DIR/NAME` reads while the program runs. --jit (the\n"
		"                default where there is a JIT) or --interp choose the executor. PROG is\n"
		"                verified first (as `prog verify --privileged`) and then runs unchecked, as\n"
		"                the kernel runs it; --no-verify skips that and runs it in checked mode\n"
		"                (bounds checks, an instruction budget); --checked keeps the checks.\n"
		"       show     programs (type, section, instructions), maps and data sections; exits 0\n"
		"                only when the object loads\n"
		"       dump     disassembly after linking, with the source lines from BTF line info\n"
		"                (linum adds file:line:column, opcodes the bytes)\n"
		"       type, --btf, --shm, --cpus and --set work with every command.\n",
		cli.prog_name, cli.prog_name, cli.prog_name, cli.prog_name);
}
