/*
 * bench_load.c - how long nyk_object_open + nyk_object_load take: read,
 * relocate and link every program of an object (maps created, programs
 * validated), per object and per instruction. The objects are read into
 * memory once; each trial opens and loads from there, then closes.
 *
 *   bench_load FILE...
 *
 * Prints, per object: programs, instructions in the file and after
 * linking (subprograms appended to each program that calls them), the
 * average open and open+load times (CPU time), and ns per linked
 * instruction.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nyuki/object.h"

/* CPU time of the process: the figures stay meaningful on a busy machine. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Average seconds per call of open (and load when `load`), over at least 0.3 s. */
static double measure(const void *data, size_t len, const char *name, int load, size_t *file_insns,
		      size_t *linked_insns, size_t *progs)
{
	struct nyk_object_opts opts = { .size = sizeof(opts), .target_btf_path = "" };
	struct nyk_error err;
	double start = now(), elapsed;
	long iters = 0;

	do {
		struct nyk_object *obj;
		nyk_error_clear(&err);
		if (nyk_object_open_mem(data, len, name, &opts, &obj, &err) || (load && nyk_object_load(obj, &err))) {
			char buf[512];
			fprintf(stderr, "bench_load: %s\n", nyk_error_format(&err, buf, sizeof(buf)));
			exit(1);
		}
		if (iters == 0 && load) {
			*progs = nyk_object_program_count(obj);
			*linked_insns = 0;
			for (size_t i = 0; i < *progs; i++) {
				size_t n;
				nyk_program_insns(nyk_object_program(obj, i), &n);
				*linked_insns += n;
			}
		}
		if (iters == 0 && !load) {
			*file_insns = 0;
			for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
				size_t n;
				nyk_program_insns(nyk_object_program(obj, i), &n);
				*file_insns += n;
			}
		}
		nyk_object_close(obj);
		iters++;
		elapsed = now() - start;
	} while (elapsed < 0.3 || iters < 3);
	return elapsed / (double)iters;
}

int main(int argc, char **argv)
{
	printf("%-22s %6s %10s %10s %12s %14s %12s\n", "object", "progs", "insns", "linked", "open (us)",
	       "open+load (us)", "ns/insn");
	for (int i = 1; i < argc; i++) {
		size_t len, file_insns = 0, linked = 0, progs = 0;
		void *data = read_all(argv[i], &len);
		const char *base = strrchr(argv[i], '/');

		if (!data) {
			fprintf(stderr, "bench_load: cannot read %s\n", argv[i]);
			return 1;
		}
		double t_open = measure(data, len, argv[i], 0, &file_insns, &linked, &progs);
		double t_load = measure(data, len, argv[i], 1, &file_insns, &linked, &progs);
		printf("%-22s %6zu %10zu %10zu %12.1f %14.1f %12.1f\n", base ? base + 1 : argv[i], progs, file_insns,
		       linked, t_open * 1e6, t_load * 1e6, linked ? t_load * 1e9 / (double)linked : 0.0);
		free(data);
	}
	printf("(insns: programs as in the file; linked: after appending subprograms; times: CPU time; ns/insn: "
	       "open+load per linked instruction)\n");
	return 0;
}
