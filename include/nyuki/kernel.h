/*
 * nyuki/kernel.h - the Linux kernel backend: a thin layer over bpf(2).
 *
 * Only on Linux (the library is built with it when NYK_HAVE_KERNEL is
 * defined). Programs are loaded with the kernel's own verifier, maps are
 * kernel maps, and BPF_PROG_TEST_RUN runs a program once on given input.
 * Every call returns a file descriptor or 0 on success and a negative errno
 * on failure, with `err` saying what the kernel refused and why (for a
 * program load: the first error line of the verifier log).
 *
 *   char why[128];
 *   if (nyk_kernel_available(why, sizeof(why)) < 0) ... // print why, skip
 *   int map = nyk_kernel_map_create(NYK_KMAP_ARRAY, 4, 8, 1, "counts", &err);
 *   struct nyk_kernel_prog_opts o = { .size = sizeof(o), .prog_type = NYK_KPROG_XDP };
 *   int prog = nyk_kernel_prog_load(insns, count, &o, &err);
 *
 * nyk_executor_kernel() runs conformance tests in the kernel (see
 * docs/conformance.md for how, and for what the kernel refuses by design).
 */
#ifndef NYUKI_KERNEL_H
#define NYUKI_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/conformance.h"
#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A few program and map types, numbered as the kernel numbers them. */
enum {
	NYK_KPROG_SOCKET_FILTER = 1, NYK_KPROG_KPROBE = 2, NYK_KPROG_SCHED_CLS = 3, NYK_KPROG_SCHED_ACT = 4,
	NYK_KPROG_TRACEPOINT = 5, NYK_KPROG_XDP = 6, NYK_KPROG_SYSCALL = 31,
};
enum { NYK_KMAP_HASH = 1, NYK_KMAP_ARRAY = 2, NYK_KMAP_PERCPU_ARRAY = 6 };

/*
 * 0 when this process may load and test-run programs in the kernel (a
 * trivial XDP program is loaded and run once); otherwise a negative errno
 * and `why` says so, e.g. "kernel bpf() not permitted: Operation not
 * permitted".
 */
int nyk_kernel_available(char *why, size_t n);

/* Options of nyk_kernel_prog_load; zero-initialise, set size = sizeof. */
struct nyk_kernel_prog_opts {
	size_t size;
	uint32_t prog_type;             /* NYK_KPROG_* or any kernel program type */
	uint32_t expected_attach_type;
	uint32_t prog_flags;            /* BPF_F_* load flags */
	const char *name;               /* program name (truncated to 15 characters), or NULL */
	const char *license;            /* NULL: "GPL" */
	char *log;                      /* verifier log buffer, or NULL */
	size_t log_size;
	uint32_t log_level;             /* with a log: 0 is taken as 1 */
};

/*
 * Load a program; returns its fd. When the kernel refuses it, err's message
 * is the verifier's reason (see nyk_kernel_log_reason); if opts has no log
 * buffer, the program is loaded again with one to find that reason.
 */
int nyk_kernel_prog_load(const struct nyk_insn *insns, size_t count, const struct nyk_kernel_prog_opts *opts,
			 struct nyk_error *err);

/* Create a map; returns its fd. `name` may be NULL. */
int nyk_kernel_map_create(uint32_t map_type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
			  const char *name, struct nyk_error *err);
/* BPF_MAP_UPDATE_ELEM (flags: 0 = any, 1 = only new, 2 = only existing). */
int nyk_kernel_map_update(int map_fd, const void *key, const void *value, uint64_t flags, struct nyk_error *err);
/* BPF_MAP_LOOKUP_ELEM into `value` (value_size bytes). */
int nyk_kernel_map_lookup(int map_fd, const void *key, void *value, struct nyk_error *err);

/* One BPF_PROG_TEST_RUN; zero-initialise, set size = sizeof. */
struct nyk_kernel_test_run {
	size_t size;
	const void *data_in;            /* packet (XDP, tc, socket filter) */
	uint32_t data_size_in;
	void *data_out;                 /* packet after the run, or NULL */
	uint32_t data_size_out;         /* in: capacity of data_out; out: bytes written */
	const void *ctx_in;             /* context (program types that take one) */
	uint32_t ctx_size_in;
	void *ctx_out;
	uint32_t ctx_size_out;          /* in: capacity of ctx_out; out: bytes written */
	uint32_t repeat;                /* 0 or 1: run once */
	uint32_t flags;
	uint32_t retval;                /* out: the program's return value (32 bits) */
	uint32_t duration;              /* out: average run time in ns */
};

int nyk_kernel_prog_test_run(int prog_fd, struct nyk_kernel_test_run *run, struct nyk_error *err);

/*
 * The reason in a verifier log: the first line of the error message the
 * verifier printed after its trace of instructions and register states
 * (for example "invalid shift 32" or "R1 invalid mem access 'scalar'").
 * Writes it to buf and returns buf, or returns NULL if the log has none.
 */
const char *nyk_kernel_log_reason(const char *log, char *buf, size_t size);

/*
 * The kernel as a conformance executor: the test program runs as a
 * bpf-to-bpf subprogram of an XDP program that passes r1 = a pointer to a
 * copy of mem held in an array map value (r2 = its length; both 0 without
 * mem) and stores the full 64-bit r0 in a second array map. Reports
 * NYK_RUN_UNAVAILABLE with the reason when bpf() cannot be used here.
 * Not thread-safe (it remembers whether the kernel is available).
 */
struct nyk_executor nyk_executor_kernel(void);

#ifdef __cplusplus
}
#endif

#endif
