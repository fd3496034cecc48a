/*
 * exec_jit.c - the JIT as a conformance executor: like the interpreter's
 * (exec_interp.c), a fresh vm per run in checked mode with helper 5
 * (ktime_get_ns) registered, but loaded with NYK_VM_JIT so the program runs
 * as machine code. Where the build has no JIT every run is
 * NYK_RUN_UNAVAILABLE with the library's reason.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "nyuki/conformance.h"
#include "nyuki/vm.h"

enum { HELPER_KTIME_GET_NS = 5 };

static uint64_t helper_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				    struct nyk_exec *exec)
{
	struct timespec ts;

	(void)r1; (void)r2; (void)r3; (void)r4; (void)r5; (void)exec;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void explain(const struct nyk_error *err, char *why, size_t why_size)
{
	char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];

	if (why && why_size)
		snprintf(why, why_size, "%s", nyk_error_format(err, buf, sizeof(buf)));
}

static enum nyk_run_status jit_run(void *self, const struct nyk_insn *insns, size_t count, void *mem,
				   size_t mem_len, uint64_t *r0, char *why, size_t why_size)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .flags = NYK_VM_JIT };
	struct nyk_vm *vm;
	struct nyk_error err;
	enum nyk_run_status status = NYK_RUN_OK;
	int rc;

	(void)self;
	nyk_error_clear(&err);
	if (why && why_size)
		why[0] = '\0';
	vm = nyk_vm_create();
	if (!vm) {
		nyk_error_set(&err, -ENOMEM, "out of memory creating a vm");
		explain(&err, why, why_size);
		return NYK_RUN_UNAVAILABLE;
	}
	if ((rc = nyk_vm_set_opts(vm, &opts)) < 0) {
		nyk_error_set(&err, rc, rc == -ENOTSUP ? "the JIT is not available on this machine" :
				  "the vm refused the JIT option");
		explain(&err, why, why_size);
		status = NYK_RUN_UNAVAILABLE;
	} else if (nyk_vm_register_helper(vm, HELPER_KTIME_GET_NS, "ktime_get_ns", helper_ktime_get_ns, &err) < 0) {
		explain(&err, why, why_size);
		status = NYK_RUN_UNAVAILABLE;
	} else if (nyk_vm_load(vm, insns, count, &err) < 0) {
		explain(&err, why, why_size);
		status = err.code == -ENOTSUP && !nyk_vm_jit_available() ? NYK_RUN_UNAVAILABLE : NYK_RUN_REFUSED;
	} else if (nyk_vm_exec(vm, mem, mem_len, r0, &err) < 0) {
		explain(&err, why, why_size);
		status = NYK_RUN_FAULT;
	}
	nyk_vm_destroy(vm);
	return status;
}

struct nyk_executor nyk_executor_jit(void)
{
	struct nyk_executor e = { "jit", jit_run, NULL };
	return e;
}
