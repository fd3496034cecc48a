/*
 * bench_verifier.c - how long nyk_verify takes and how much memory it uses.
 *
 *   bench_verifier [--sizes N,N,...] [--features LIST] [--seed S] [OBJECT.o ...]
 *   bench_verifier --write FILE N [--seed S]   a generated program of N
 *       instructions as an input of tests/fuzz/fuzz_verifier (its seeds)
 *
 * Generated programs (gen.c) of 1k, 10k, 100k and 1M instructions by
 * default, then every program of each object given (tests/progs,
 * bench/progs: bench/run.sh compiles and passes them). Each entry is
 * verified in a child process of its own, so that the process's peak RSS
 * (getrusage) belongs to that entry alone. Per entry: instructions, time
 * (the median of several runs for small programs; wall clock and the
 * process's CPU time, which a loaded machine disturbs less), CPU ns per
 * instruction,
 * the result's insns_processed, states and peak_bytes, the child's peak
 * RSS, and the verdict. For generated sizes, time(10x)/time(x) shows
 * whether the cost grows linearly (a ratio near 10; CPU time).
 *
 * The budget for real programs up to 10k instructions: < 0.2 s
 * and < 64 MiB. Entries over it are marked "OVER"; figures are printed,
 * never asserted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"

#define BUDGET_NS 200000000ull
#define BUDGET_BYTES (64ull << 20)

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Medians over the runs of one program. */
struct timing {
	uint64_t wall_ns, cpu_ns;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Runs for a program of n instructions: more for small ones, whose times are noisy. */
static unsigned runs_for(size_t n)
{
	return n <= 20000 ? 5 : n <= 200000 ? 3 : 1;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static void header(void)
{
	printf("%-34s %8s %10s %10s %9s %11s %8s %10s %9s  %s\n", "program", "insns", "ms", "cpu ms", "ns/insn",
	       "processed", "states", "peak KiB", "RSS KiB", "verdict");
}

/* One line of the table; the verdict says accepted, or why not. */
static void row(const char *name, const struct nyk_verify_result *r, int rc, const struct timing *t,
		const struct nyk_error *err)
{
	long rss = peak_rss_kib();
	int over = r->insns <= 10000 && (t->cpu_ns > BUDGET_NS || (uint64_t)rss * 1024 > BUDGET_BYTES);
	char verdict[200];

	if (rc == 0)
		snprintf(verdict, sizeof(verdict), "accepted%s", over ? " OVER 0.2 s / 64 MiB" : "");
	else if (rc == -EACCES)
		snprintf(verdict, sizeof(verdict), "REJECTED insn %ld: %.150s", r->insn, r->reason);
	else
		snprintf(verdict, sizeof(verdict), "ERROR %d: %.150s", rc, err->message);
	printf("%-34.34s %8zu %10.3f %10.3f %9.1f %11zu %8zu %10zu %9ld  %s\n", name, r->insns,
	       (double)t->wall_ns / 1e6, (double)t->cpu_ns / 1e6, r->insns ? (double)t->cpu_ns / (double)r->insns : 0.0,
	       r->insns_processed, r->states, r->peak_bytes / 1024, rss, verdict);
	fflush(stdout);
}

/* What is timed: nyk_verify on instructions, or nyk_program_verify on a loaded program. */
struct subject {
	const struct nyk_insn *insns;
	size_t n;
	const struct nyk_verify_opts *opts;
	struct nyk_program *prog;
};

/* Object programs are verified as `nyuki prog run` verifies them: privileged. */
static const struct nyk_verify_opts run_opts = { .size = sizeof(run_opts), .flags = NYK_VERIFY_PRIVILEGED };

/* Median times of several verifications of one program (by its size); the result of the last. */
static int timed_verify(const struct subject *sub, struct nyk_verify_result *res, struct timing *t,
			struct nyk_error *err)
{
	uint64_t wall[8], cpu[8];
	unsigned runs = runs_for(sub->n);
	int rc = 0;

	for (unsigned i = 0; i < runs; i++) {
		uint64_t w0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		memset(res, 0, sizeof(*res));
		res->size = sizeof(*res);
		nyk_error_clear(err);
		rc = sub->prog ? nyk_program_verify(sub->prog, &run_opts, res, err)
			       : nyk_verify(sub->insns, sub->n, sub->opts, res, err);
		cpu[i] = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
		wall[i] = clock_ns(CLOCK_MONOTONIC) - w0;
	}
	qsort(wall, runs, sizeof(wall[0]), cmp_u64);
	qsort(cpu, runs, sizeof(cpu[0]), cmp_u64);
	t->wall_ns = wall[runs / 2];
	t->cpu_ns = cpu[runs / 2];
	return rc;
}

/* In the child: generate a program of `size` instructions, verify it, print its row; the time goes to `fd`. */
static int child_generated(size_t size, uint64_t seed, unsigned features, int fd)
{
	struct nyk_verify_opts o = { .size = sizeof(o) };
	struct nyk_verify_result res;
	struct nyk_error err;
	struct nyk_insn *insns;
	struct subject sub = { .opts = &o };
	struct timing t;
	size_t n;
	char name[64];
	int rc;

	if (!(insns = vgen_program(size, seed, features, &n))) {
		fprintf(stderr, "bench_verifier: out of memory generating %zu instructions\n", size);
		return 1;
	}
	o.type = nyk_progtype_by_name("xdp");
	o.maps = vgen_maps(&o.nmaps);
	o.max_insns = n > 1000000 ? n : 0;
	sub.insns = insns;
	sub.n = n;
	rc = timed_verify(&sub, &res, &t, &err);
	snprintf(name, sizeof(name), "generated %zu", size);
	row(name, &res, rc, &t, &err);
	if (write(fd, &t.cpu_ns, sizeof(t.cpu_ns)) != (ssize_t)sizeof(t.cpu_ns))
		return 1;
	free(insns);
	return 0;
}

/* In the child: load an object, verify each of its programs (median of a few runs), a row each. */
static int child_object(const char *path)
{
	/* CO-RE against the object's own BTF, as tests/progs' first cases run them: nothing poisoned. */
	struct nyk_object_opts oo = { .size = sizeof(oo), .target_btf_path = "" };
	struct nyk_object *obj;
	struct nyk_error err;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	nyk_error_clear(&err);
	if (nyk_object_open(path, &oo, &obj, &err) < 0 || nyk_object_load(obj, &err) < 0) {
		printf("%-34.34s  not loaded: %s\n", base, err.message);
		return 0;
	}
	for (size_t i = 0, np = nyk_object_program_count(obj); i < np; i++) {
		struct subject sub = { .prog = nyk_object_program(obj, i) };
		struct nyk_verify_result res;
		struct timing t;
		char name[128];
		int rc;

		if (!nyk_program_type(sub.prog))
			continue;   /* bench/progs' raw twins (run with r1 = memory): no type to verify against */
		nyk_program_insns(sub.prog, &sub.n);
		rc = timed_verify(&sub, &res, &t, &err);
		snprintf(name, sizeof(name), "%s:%s", base, nyk_program_name(sub.prog));
		row(name, &res, rc, &t, &err);
	}
	nyk_object_close(obj);
	return 0;
}

/* Verify in a child process; the CPU time (generated programs) comes back through a pipe. */
static int in_child(size_t size, uint64_t seed, unsigned features, const char *path, uint64_t *ns)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		_exit(path ? child_object(path) : child_generated(size, seed, features, fds[1]));
	}
	close(fds[1]);
	*ns = 0;
	if (read(fds[0], ns, sizeof(*ns)) != (ssize_t)sizeof(*ns))
		*ns = 0;
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("%-34s  the child %s\n", path ? path : "generated",
		       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "failed");
		return -1;
	}
	return 0;
}

/* The fuzzer's input format: a byte choosing xdp, unprivileged (0), then the instructions. */
static int write_seed(const char *path, size_t size, uint64_t seed, unsigned features)
{
	struct nyk_insn *insns;
	size_t n;
	FILE *f;
	int ok;

	if (!(insns = vgen_program(size, seed, features, &n)) || !(f = fopen(path, "wb"))) {
		perror(path);
		free(insns);
		return 1;
	}
	ok = fputc(0, f) != EOF && fwrite(insns, sizeof(*insns), n, f) == n;
	ok = fclose(f) == 0 && ok;
	free(insns);
	if (!ok)
		perror(path);
	return !ok;
}

static unsigned parse_features(const char *list)
{
	unsigned f = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		unsigned bit = 0;
		if (!strcmp(w, "all"))
			f |= VGEN_ALL;
		while (bit < 8 && strcmp(w, vgen_feature_names[bit]))
			bit++;
		if (bit < 8)
			f |= 1u << bit;
		else if (strcmp(w, "all"))
			fprintf(stderr, "bench_verifier: unknown feature '%s'\n", w);
	}
	return f;
}

int main(int argc, char **argv)
{
	size_t sizes[16] = { 1000, 10000, 100000, 1000000 }, nsizes = 4;
	uint64_t times[16], seed = 1;
	unsigned features = VGEN_ALL;
	int first_obj = argc;
	const char *write_path = NULL;
	size_t write_size = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			char *p = argv[++i];
			nsizes = 0;
			while (*p && nsizes < 16) {
				sizes[nsizes++] = strtoul(p, &p, 10);
				if (*p == ',')
					p++;
			}
		} else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
			features = parse_features(argv[++i]);
		} else if (!strcmp(argv[i], "--write") && i + 2 < argc) {
			write_path = argv[++i];
			write_size = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else {
			first_obj = i;
			break;
		}
	}
	if (write_path)
		return write_seed(write_path, write_size, seed, features);

	printf("verifier: generated xdp programs of");
	for (unsigned bit = 0; bit < 8; bit++)
		if (features & (1u << bit))
			printf(" %s", vgen_feature_names[bit]);
	printf(" blocks, seed %llu\n", (unsigned long long)seed);
	header();
	for (size_t i = 0; i < nsizes; i++)
		if (in_child(sizes[i], seed, features, NULL, &times[i]) < 0)
			times[i] = 0;
	for (size_t i = 1; i < nsizes; i++)
		if (times[i - 1] && times[i])
			printf("growth %zu -> %zu instructions: CPU time x%.1f for size x%.1f\n", sizes[i - 1], sizes[i],
			       (double)times[i] / (double)times[i - 1], (double)sizes[i] / (double)sizes[i - 1]);
	if (first_obj < argc) {
		printf("\nverifier: programs of objects (budget for real programs up to 10k insns: 0.2 s, 64 MiB)\n");
		header();
	}
	for (int i = first_obj; i < argc; i++) {
		uint64_t unused;
		in_child(0, 0, 0, argv[i], &unused);
	}
	return 0;
}
