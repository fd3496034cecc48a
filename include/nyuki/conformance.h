/*
 * nyuki/conformance.h - conformance tests in the de-facto `.data` format
 * (`-- asm`, `-- raw`, `-- mem`, `-- result`, `-- error`) and the executors
 * that run them: the interpreter, and (on Linux) the kernel through
 * BPF_PROG_TEST_RUN.
 */
#ifndef NYUKI_CONFORMANCE_H
#define NYUKI_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nyk_ctest {
	char *asm_text;            /* program text, or NULL when given as -- raw */
	int asm_line;              /* file line of the first line of asm_text */
	struct nyk_insn *raw;      /* program from -- raw, or NULL */
	size_t raw_count;
	uint8_t *mem;              /* -- mem bytes, NULL when absent */
	size_t mem_len;
	int expect_error;          /* 1 when the test has -- error */
	char *error_text;          /* expected reason after -- error ("" if none) */
	uint64_t result;           /* expected r0 (-- result) when !expect_error */
};

/* Parse one test file's text. `file` names it in errors. */
int nyk_ctest_parse(const char *text, size_t len, const char *file, struct nyk_ctest *t, struct nyk_error *err);
void nyk_ctest_free(struct nyk_ctest *t);

/* What an executor made of a program. */
enum nyk_run_status {
	NYK_RUN_OK = 0,          /* ran; r0 is valid */
	NYK_RUN_REFUSED,         /* refused at load (validator / kernel verifier) */
	NYK_RUN_FAULT,           /* started but failed at run time */
	NYK_RUN_UNAVAILABLE,     /* executor cannot run anything here (no permission) */
};

struct nyk_executor {
	const char *name;
	/* Run insns with r1 = mem, r2 = mem_len; fill *r0 or `why`. */
	enum nyk_run_status (*run)(void *self, const struct nyk_insn *insns, size_t count, void *mem, size_t mem_len,
				   uint64_t *r0, char *why, size_t why_size);
	void *self;
};

/* The interpreter executor (checked mode, helper 5 registered). */
struct nyk_executor nyk_executor_interp(void);

/* The JIT executor (checked mode, helper 5 registered); unavailable where the build has no JIT. */
struct nyk_executor nyk_executor_jit(void);

#ifdef __cplusplus
}
#endif

#endif
