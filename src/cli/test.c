/*
 * test.c - `nyuki test`: the conformance suite.
 *
 *   nyuki test conformance [DIR|FILE...] [--executor interp|jit|kernel|all] [-v]
 *
 * Each .data file is read (nyk_ctest_parse), assembled once, and run on
 * every selected executor with its own copy of the memory. One line per
 * test and executor (PASS, FAIL, KNOWN, SKIP), totals per executor, and a
 * last line "N passed, N failed[, N skipped]". A kernel refusal or result
 * that differs from nyuki's is a failure unless the test is listed in
 * kernel-differences.txt next to the test files (name: reason); those are
 * reported as KNOWN and counted as skipped, never hidden.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#ifdef NYK_HAVE_KERNEL
#include "nyuki/kernel.h"
#endif

#define DEFAULT_DIR "tests/conformance"
#define DIFFERENCES_FILE "kernel-differences.txt"
#define WHY_MAX 512

/* One test file, read and assembled once for all executors. */
struct test_case {
	char *path;
	char *name;                /* file name without directory and .data */
	struct nyk_ctest t;
	struct nyk_insn *insns;
	size_t count;
	char *load_error;          /* parse or assembly error, or NULL */
};

/* A test the kernel is known to treat differently, with the reason. */
struct difference {
	char *name;
	char *reason;
};

struct executor_slot {
	struct nyk_executor ex;
	int available;             /* 0 when the executor cannot run here */
	char why[WHY_MAX];         /* why not */
	int uses_differences;      /* kernel-differences.txt applies */
	unsigned passed, failed, skipped, known;
};

enum outcome_kind { OUT_PASS, OUT_FAIL, OUT_KNOWN, OUT_SKIP };

struct outcome {
	enum outcome_kind kind;
	int has_result;            /* the executor produced r0 */
	uint64_t got;
	char reason[WHY_MAX + 256];
	const char *known;         /* why the kernel differs, for KNOWN */
	char note[WHY_MAX + 256];
	int note_always;           /* print the note without -v too */
};

struct options {
	int verbose;
	int want_interp, want_kernel, want_jit;
};

static const char *const kind_word[] = { "PASS", "FAIL", "KNOWN", "SKIP" };
static const char *const kind_json[] = { "pass", "fail", "known", "skip" };

/* ---- finding and reading the test files ---- */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", name);
	return p;
}

struct path_list {
	char **items;
	size_t count, cap;
};

static int path_list_add(struct path_list *l, char *path)
{
	if (!path)
		return -1;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->items, cap * sizeof(*p));
		if (!p) {
			free(path);
			return -1;
		}
		l->items = p;
		l->cap = cap;
	}
	l->items[l->count++] = path;
	return 0;
}

static void path_list_free(struct path_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the .data files of a directory, in name order. */
static int add_dir(struct path_list *files, const char *dir)
{
	struct path_list found = { 0 };
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return cli_error("cannot open directory '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".data"))
			continue;
		if (path_list_add(&found, join_path(dir, de->d_name)) < 0) {
			closedir(d);
			path_list_free(&found);
			return cli_error("out of memory");
		}
	}
	closedir(d);
	if (found.count == 0) {
		path_list_free(&found);
		return cli_error("no .data files in '%s'", dir);
	}
	qsort(found.items, found.count, sizeof(char *), by_string);
	for (size_t i = 0; i < found.count; i++) {
		if (path_list_add(files, found.items[i]) < 0) {
			for (size_t j = i + 1; j < found.count; j++)
				free(found.items[j]);
			free(found.items);
			return cli_error("out of memory");
		}
	}
	free(found.items);
	return EXIT_OK;
}

/* tests/conformance under the working directory, else next to the binary. */
static char *default_dir(void)
{
	if (is_dir(DEFAULT_DIR))
		return strdup(DEFAULT_DIR);
#ifdef __linux__
	{
		static const char *const ups[] = { "/../" DEFAULT_DIR, "/../../" DEFAULT_DIR };
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		char *slash;

		if (n > 0) {
			exe[n] = '\0';
			if ((slash = strrchr(exe, '/')))
				*slash = '\0';
			for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
				char *p = malloc(strlen(exe) + strlen(ups[i]) + 1);
				if (!p)
					return NULL;
				strcpy(p, exe);
				strcat(p, ups[i]);
				if (is_dir(p))
					return p;
				free(p);
			}
		}
	}
#endif
	return NULL;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	if (slash) {
		memcpy(d, path, n);
		d[n] = '\0';
		if (n == 0)
			strcpy(d, "/");
	} else {
		strcpy(d, ".");
	}
	return d;
}

static char *test_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name = strdup(base ? base + 1 : path);

	if (name && has_suffix(name, ".data"))
		name[strlen(name) - 5] = '\0';
	return name;
}

static char *format_error(const struct nyk_error *err)
{
	char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];
	return strdup(nyk_error_format(err, buf, sizeof(buf)));
}

/* Read, parse and assemble one test. Problems go to tc->load_error. */
static int load_case(struct test_case *tc, const char *path)
{
	struct nyk_error err;
	char *text;
	size_t len;
	int rc;

	memset(tc, 0, sizeof(*tc));
	tc->path = strdup(path);
	tc->name = test_name(path);
	if (!tc->path || !tc->name)
		return -ENOMEM;
	nyk_error_clear(&err);
	{
		FILE *f = fopen(path, "rb");
		size_t cap = 4096;
		text = NULL;
		len = 0;
		if (!f) {
			int e = errno;
			nyk_error_set_file(&err, path);
			nyk_error_set(&err, -e, "cannot open: %s", strerror(e));
			tc->load_error = format_error(&err);
			return 0;
		}
		for (;;) {
			char *bigger = realloc(text, cap + 1);
			size_t got;
			if (!bigger) {
				free(text);
				fclose(f);
				return -ENOMEM;
			}
			text = bigger;
			got = fread(text + len, 1, cap - len, f);
			len += got;
			if (len < cap)
				break;
			cap *= 2;
		}
		fclose(f);
		text[len] = '\0';
	}
	rc = nyk_ctest_parse(text, len, path, &tc->t, &err);
	free(text);
	if (rc < 0) {
		tc->load_error = format_error(&err);
		return 0;
	}
	if (tc->t.raw) {
		tc->insns = malloc(tc->t.raw_count * sizeof(*tc->insns));
		if (!tc->insns)
			return -ENOMEM;
		memcpy(tc->insns, tc->t.raw, tc->t.raw_count * sizeof(*tc->insns));
		tc->count = tc->t.raw_count;
		return 0;
	}
	nyk_error_clear(&err);
	rc = nyk_asm(tc->t.asm_text, strlen(tc->t.asm_text), path, &tc->insns, &tc->count, &err);
	if (rc < 0) {
		/* The assembler counts lines from the start of the asm text. */
		if (err.line > 0)
			err.line += tc->t.asm_line - 1;
		if (!err.file[0])
			nyk_error_set_file(&err, path);
		tc->load_error = format_error(&err);
		tc->insns = NULL;
		tc->count = 0;
	}
	return 0;
}

static void free_case(struct test_case *tc)
{
	free(tc->path);
	free(tc->name);
	free(tc->insns);
	free(tc->load_error);
	nyk_ctest_free(&tc->t);
}

/* ---- kernel-differences.txt ---- */

struct difference_list {
	struct difference *items;
	size_t count, cap;
};

static const char *find_difference(const struct difference_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].reason;
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * Lines "name: reason"; '#' starts a comment line. A missing file is fine
 * (no known differences); a malformed line is an error.
 */
static int load_differences(struct difference_list *l, const char *dir)
{
	char *path = join_path(dir, DIFFERENCES_FILE), line[1024];
	int lineno = 0, rc = EXIT_OK;
	FILE *f;

	if (!path)
		return cli_error("out of memory");
	f = fopen(path, "r");
	if (!f) {
		free(path);
		return EXIT_OK;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *colon;
		lineno++;
		if (!*s || *s == '#')
			continue;
		colon = strchr(s, ':');
		if (!colon || colon == s || !*trim(colon + 1)) {
			rc = cli_error("%s:%d: expected 'test-name: reason'", path, lineno);
			break;
		}
		*colon = '\0';
		if (find_difference(l, trim(s)))
			continue;
		if (l->count == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 32;
			struct difference *p = realloc(l->items, cap * sizeof(*p));
			if (!p) {
				rc = cli_error("out of memory");
				break;
			}
			l->items = p;
			l->cap = cap;
		}
		l->items[l->count].name = strdup(trim(s));
		l->items[l->count].reason = strdup(trim(colon + 1));
		if (!l->items[l->count].name || !l->items[l->count].reason) {
			free(l->items[l->count].name);
			free(l->items[l->count].reason);
			rc = cli_error("out of memory");
			break;
		}
		l->count++;
	}
	fclose(f);
	free(path);
	return rc;
}

static void free_differences(struct difference_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].name);
		free(l->items[i].reason);
	}
	free(l->items);
}

/* ---- running ---- */

static const char *status_word(enum nyk_run_status st)
{
	switch (st) {
	case NYK_RUN_REFUSED: return "refused";
	case NYK_RUN_FAULT: return "fault";
	case NYK_RUN_UNAVAILABLE: return "unavailable";
	default: return "ok";
	}
}

/* Lowercase letters and digits, every other run of characters as one space. */
static void normalize(const char *in, char *out, size_t size)
{
	size_t n = 0;
	int space = 1;

	for (; *in && n + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[n++] = (char)c;
			space = 0;
		} else if (c >= 'A' && c <= 'Z') {
			out[n++] = (char)(c - 'A' + 'a');
			space = 0;
		} else if (!space) {
			out[n++] = ' ';
			space = 1;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/*
 * Loose match of an expected error text with an executor's reason: the
 * one contains the other, or every word of three letters or more of the
 * expected text is in the reason (ignoring case and punctuation).
 */
static int reason_matches(const char *expected, const char *why)
{
	char e[WHY_MAX], w[WHY_MAX + 2], word[WHY_MAX + 2];
	const char *p;

	normalize(expected, e, sizeof(e));
	w[0] = ' ';
	normalize(why, w + 1, sizeof(w) - 2);
	strcat(w, " ");
	if (!e[0] || strstr(w, e))
		return 1;
	for (p = e; *p;) {
		size_t len = strcspn(p, " ");
		if (len >= 3) {
			snprintf(word, sizeof(word), " %.*s", (int)len, p);
			if (!strstr(w, word))
				return 0;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return 1;
}

static void judge(const struct test_case *tc, struct executor_slot *slot, const struct difference_list *diffs,
		  struct outcome *o)
{
	char why[WHY_MAX];
	uint64_t r0 = 0;
	uint8_t *mem = NULL;
	enum nyk_run_status st;
	const char *known;

	memset(o, 0, sizeof(*o));
	why[0] = '\0';
	if (tc->load_error) {
		o->kind = OUT_FAIL;
		snprintf(o->reason, sizeof(o->reason), "%s", tc->load_error);
		return;
	}
	if (tc->t.mem_len) {
		mem = malloc(tc->t.mem_len);
		if (!mem) {
			o->kind = OUT_FAIL;
			snprintf(o->reason, sizeof(o->reason), "out of memory");
			return;
		}
		memcpy(mem, tc->t.mem, tc->t.mem_len);
	}
	st = slot->ex.run(slot->ex.self, tc->insns, tc->count, mem, tc->t.mem_len, &r0, why, sizeof(why));
	free(mem);

	if (st == NYK_RUN_UNAVAILABLE) {
		o->kind = OUT_SKIP;
		snprintf(o->reason, sizeof(o->reason), "%s", why);
		return;
	}
	o->has_result = st == NYK_RUN_OK;
	o->got = r0;
	if (tc->t.expect_error) {
		if (st == NYK_RUN_OK) {
			o->kind = OUT_FAIL;
			snprintf(o->reason, sizeof(o->reason), "expected an error, got 0x%" PRIx64, r0);
		} else {
			o->kind = OUT_PASS;
			snprintf(o->reason, sizeof(o->reason), "%s: %s", status_word(st), why);
			if (!reason_matches(tc->t.error_text, why))
				snprintf(o->note, sizeof(o->note), "reason differs from the expected '%s'",
					 tc->t.error_text);
		}
	} else if (st == NYK_RUN_OK && r0 == tc->t.result) {
		o->kind = OUT_PASS;
	} else {
		o->kind = OUT_FAIL;
		if (st == NYK_RUN_OK)
			snprintf(o->reason, sizeof(o->reason), "expected 0x%" PRIx64 ", got 0x%" PRIx64, tc->t.result,
				 r0);
		else
			snprintf(o->reason, sizeof(o->reason), "%s: %s", status_word(st), why);
	}

	known = slot->uses_differences ? find_difference(diffs, tc->name) : NULL;
	if (known && o->kind == OUT_FAIL) {
		o->kind = OUT_KNOWN;
		o->known = known;
	} else if (known && o->kind == OUT_PASS) {
		snprintf(o->note, sizeof(o->note), "listed in %s as a known difference, but passes: remove it",
			 DIFFERENCES_FILE);
		o->note_always = 1;
	}
}

static void print_outcome(const struct test_case *tc, const struct executor_slot *slot, const struct outcome *o,
			  const struct options *opt)
{
	if (cli.json) {
		json_begin_object();
		json_key("name");
		json_string(tc->name);
		json_key("executor");
		json_string(slot->ex.name);
		json_key("status");
		json_string(kind_json[o->kind]);
		json_key("expected");
		if (tc->load_error)
			json_null();
		else if (tc->t.expect_error)
			json_string("error");
		else
			json_u64(tc->t.result);
		json_key("got");
		if (o->has_result)
			json_u64(o->got);
		else
			json_null();
		json_key("reason");
		if (o->reason[0])
			json_string(o->reason);
		else
			json_null();
		if (o->known) {
			json_key("known");
			json_string(o->known);
		}
		if (o->note[0]) {
			json_key("note");
			json_string(o->note);
		}
		json_end_object();
		return;
	}
	if (o->kind == OUT_PASS && cli.quiet && !o->note_always)
		return;
	if (o->kind == OUT_PASS && !opt->verbose)
		printf("PASS %s (%s)\n", tc->name, slot->ex.name);
	else if (o->kind == OUT_PASS && o->has_result)
		printf("PASS %s (%s): 0x%" PRIx64 "\n", tc->name, slot->ex.name, o->got);
	else if (o->known)
		printf("%s %s (%s): %s [known: %s]\n", kind_word[o->kind], tc->name, slot->ex.name, o->reason, o->known);
	else if (o->reason[0])
		printf("%s %s (%s): %s\n", kind_word[o->kind], tc->name, slot->ex.name, o->reason);
	else
		printf("%s %s (%s)\n", kind_word[o->kind], tc->name, slot->ex.name);
	/* Stale known differences always show; reason mismatches with -v. */
	if (o->note[0] && (opt->verbose || o->note_always))
		printf("NOTE %s (%s): %s\n", tc->name, slot->ex.name, o->note);
}

static void count_outcome(struct executor_slot *slot, const struct outcome *o)
{
	switch (o->kind) {
	case OUT_PASS: slot->passed++; break;
	case OUT_FAIL: slot->failed++; break;
	case OUT_KNOWN: slot->known++; slot->skipped++; break;
	case OUT_SKIP: slot->skipped++; break;
	}
}

static void print_counts(const char *prefix, unsigned passed, unsigned failed, unsigned skipped, unsigned known)
{
	printf("%s%u passed, %u failed", prefix, passed, failed);
	if (skipped)
		printf(", %u skipped", skipped);
	if (known)
		printf(" (%u known kernel difference%s)", known, known == 1 ? "" : "s");
	putchar('\n');
}

static int usage(void)
{
	fprintf(stderr,
		"Usage: %s test conformance [DIR|FILE...] [--executor interp|jit|kernel|all] [-v]\n"
		"       %s test help\n"
		"\n"
		"Runs the conformance suite (.data files; default: " DEFAULT_DIR ") on the\n"
		"interpreter, the JIT and/or the Linux kernel (BPF_PROG_TEST_RUN; skipped visibly when\n"
		"bpf() is not permitted). Prints PASS/FAIL/KNOWN/SKIP per test and executor,\n"
		"then 'N passed, N failed[, N skipped]'. KNOWN: the kernel treats the test\n"
		"differently by design, as listed in " DIFFERENCES_FILE " (counted as skipped).\n"
		"Exit status 0 iff nothing failed. -j gives JSON.\n",
		cli.prog_name, cli.prog_name);
	return EXIT_OK;
}

static int parse_options(int argc, char **argv, struct options *opt, struct path_list *paths)
{
	opt->want_interp = 1;
	opt->want_kernel = 1;
	opt->want_jit = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			opt->verbose = 1;
			continue;
		}
		if (strcmp(a, "--executor") == 0 || strcmp(a, "-e") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs interp, jit, kernel or all", a);
			val = argv[++i];
		} else if (strncmp(a, "--executor=", 11) == 0) {
			val = a + 11;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s' (see '%s test help')", a, cli.prog_name);
		} else {
			if (path_list_add(paths, strdup(a)) < 0)
				return cli_error("out of memory");
			continue;
		}
		if (strcmp(val, "interp") == 0) {
			opt->want_interp = 1;
			opt->want_kernel = opt->want_jit = 0;
		} else if (strcmp(val, "kernel") == 0) {
			opt->want_interp = opt->want_jit = 0;
			opt->want_kernel = 1;
		} else if (strcmp(val, "jit") == 0) {
			opt->want_interp = opt->want_kernel = 0;
			opt->want_jit = 1;
		} else if (strcmp(val, "all") == 0) {
			opt->want_interp = opt->want_kernel = opt->want_jit = 1;
		} else {
			return cli_usage_error("unknown executor '%s' (interp, jit, kernel or all)", val);
		}
	}
	return EXIT_OK;
}

/* Expand the paths into .data files and load the differences lists. */
static int collect_files(struct path_list *paths, struct path_list *files, struct difference_list *diffs)
{
	int rc;

	if (paths->count == 0) {
		char *dir = default_dir();
		if (!dir)
			return cli_error("no test directory: '%s' does not exist here (give DIR or FILE)", DEFAULT_DIR);
		if (path_list_add(paths, dir) < 0)
			return cli_error("out of memory");
	}
	for (size_t i = 0; i < paths->count; i++) {
		const char *p = paths->items[i];
		char *dir;
		if (is_dir(p)) {
			if ((rc = add_dir(files, p)))
				return rc;
			dir = strdup(p);
		} else {
			if (access(p, R_OK) != 0)
				return cli_error("cannot read '%s': %s", p, strerror(errno));
			if (path_list_add(files, strdup(p)) < 0)
				return cli_error("out of memory");
			dir = dir_of(p);
		}
		if (!dir)
			return cli_error("out of memory");
		rc = load_differences(diffs, dir);
		free(dir);
		if (rc)
			return rc;
	}
	return EXIT_OK;
}

static size_t setup_executors(const struct options *opt, struct executor_slot *slots)
{
	size_t n = 0;

	if (opt->want_interp) {
		memset(&slots[n], 0, sizeof(slots[n]));
		slots[n].ex = nyk_executor_interp();
		slots[n].available = 1;
		n++;
	}
	if (opt->want_jit) {
		memset(&slots[n], 0, sizeof(slots[n]));
		slots[n].ex = nyk_executor_jit();
		slots[n].available = nyk_vm_jit_available();
		if (!slots[n].available)
			snprintf(slots[n].why, sizeof(slots[n].why), "no JIT for this machine (x86-64 only)");
		n++;
	}
	if (opt->want_kernel) {
		memset(&slots[n], 0, sizeof(slots[n]));
#ifdef NYK_HAVE_KERNEL
		slots[n].ex = nyk_executor_kernel();
		slots[n].uses_differences = 1;
		slots[n].available = nyk_kernel_available(slots[n].why, sizeof(slots[n].why)) == 0;
#else
		slots[n].ex.name = "kernel";
		snprintf(slots[n].why, sizeof(slots[n].why), "kernel executor not built (KERNEL=0 or not Linux)");
#endif
		n++;
	}
	return n;
}

static int do_conformance(int argc, char **argv)
{
	struct options opt = { 0 };
	struct path_list paths = { 0 }, files = { 0 };
	struct difference_list diffs = { 0 };
	struct executor_slot slots[3];
	struct test_case *cases = NULL;
	size_t nslots, ncases = 0;
	unsigned passed = 0, failed = 0, skipped = 0;
	int rc;

	if ((rc = parse_options(argc, argv, &opt, &paths)) || (rc = collect_files(&paths, &files, &diffs)))
		goto out;
	cases = calloc(files.count, sizeof(*cases));
	if (!cases) {
		rc = cli_error("out of memory");
		goto out;
	}
	for (; ncases < files.count; ncases++) {
		if (load_case(&cases[ncases], files.items[ncases]) < 0) {
			ncases++;
			rc = cli_error("out of memory reading '%s'", files.items[ncases - 1]);
			goto out;
		}
	}
	nslots = setup_executors(&opt, slots);

	if (cli.json) {
		json_begin_object();
		json_key("results");
		json_begin_array();
	}
	for (size_t e = 0; e < nslots; e++) {
		struct executor_slot *slot = &slots[e];
		if (!slot->available) {
			slot->skipped = (unsigned)ncases;
			if (!cli.json)
				printf("SKIPPED: %s (%zu tests on %s)\n", slot->why, ncases, slot->ex.name);
			continue;
		}
		for (size_t i = 0; i < ncases; i++) {
			struct outcome o;
			judge(&cases[i], slot, &diffs, &o);
			count_outcome(slot, &o);
			print_outcome(&cases[i], slot, &o, &opt);
		}
	}
	for (size_t e = 0; e < nslots; e++) {
		passed += slots[e].passed;
		failed += slots[e].failed;
		skipped += slots[e].skipped;
	}
	if (cli.json) {
		json_end_array();
		json_key("executors");
		json_begin_array();
		for (size_t e = 0; e < nslots; e++) {
			json_begin_object();
			json_key("name");
			json_string(slots[e].ex.name);
			json_key("available");
			json_bool(slots[e].available);
			if (!slots[e].available) {
				json_key("reason");
				json_string(slots[e].why);
			}
			json_key("passed");
			json_u64(slots[e].passed);
			json_key("failed");
			json_u64(slots[e].failed);
			json_key("skipped");
			json_u64(slots[e].skipped);
			json_key("known");
			json_u64(slots[e].known);
			json_end_object();
		}
		json_end_array();
		json_key("passed");
		json_u64(passed);
		json_key("failed");
		json_u64(failed);
		json_key("skipped");
		json_u64(skipped);
		json_end_object();
		json_finish();
	} else {
		for (size_t e = 0; e < nslots; e++) {
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "%s: ", slots[e].ex.name);
			print_counts(prefix, slots[e].passed, slots[e].failed, slots[e].skipped, slots[e].known);
		}
		print_counts("", passed, failed, skipped, 0);
	}
	rc = failed ? EXIT_FAIL : EXIT_OK;
out:
	for (size_t i = 0; i < ncases; i++)
		free_case(&cases[i]);
	free(cases);
	free_differences(&diffs);
	path_list_free(&paths);
	path_list_free(&files);
	return rc;
}

static int do_test_help(int argc, char **argv)
{
	return usage();
}

int do_test(int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "conformance", do_conformance, "run the conformance suite" },
		{ "help", do_test_help, "this help" },
		{ NULL, NULL, NULL },
	};

	if (argc < 1) {
		usage();
		return EXIT_USAGE;
	}
	return cli_dispatch(cmds, argc, argv, "command", do_test_help);
}
