/*
 * exec_interp.c - nyuki's own executors for the conformance suite: the
 * interpreter and the JIT.
 *
 * Each run loads the program into a fresh vm in checked mode with helper 5
 * (ktime_get_ns, as the kernel numbers it) registered, and runs it with
 * r1 = mem, r2 = mem_len. The two executors differ only in the vm flags
 * (NYK_VM_JIT for the JIT). A program the loader refuses is
 * NYK_RUN_REFUSED; one that faults while running (bad memory access, budget
 * exhausted, ...) is NYK_RUN_FAULT. Either way `why` gets the library's
 * message. Where the build has no JIT, every JIT run is NYK_RUN_UNAVAILABLE.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "nyuki/conformance.h"
#include "nyuki/vm.h"

enum { HELPER_KTIME_GET_NS = 5 };

/* bpf_ktime_get_ns: monotonic time in nanoseconds. */
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

/* `self` points at the vm flags of the executor. */
static enum nyk_run_status vm_run(void *self, const struct nyk_insn *insns, size_t count, void *mem,
				  size_t mem_len, uint64_t *r0, char *why, size_t why_size)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .flags = *(const unsigned *)self };
	int jit = (opts.flags & NYK_VM_JIT) != 0;
	struct nyk_vm *vm;
	struct nyk_error err;
	enum nyk_run_status status = NYK_RUN_OK;
	int rc;

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
				  "the vm refused its options");
		explain(&err, why, why_size);
		status = NYK_RUN_UNAVAILABLE;
	} else if (nyk_vm_register_helper(vm, HELPER_KTIME_GET_NS, "ktime_get_ns", helper_ktime_get_ns, &err) < 0) {
		explain(&err, why, why_size);
		status = NYK_RUN_UNAVAILABLE;
	} else if (nyk_vm_load(vm, insns, count, &err) < 0) {
		explain(&err, why, why_size);
		status = jit && err.code == -ENOTSUP && !nyk_vm_jit_available() ? NYK_RUN_UNAVAILABLE : NYK_RUN_REFUSED;
	} else if (nyk_vm_exec(vm, mem, mem_len, r0, &err) < 0) {
		explain(&err, why, why_size);
		status = NYK_RUN_FAULT;
	}
	nyk_vm_destroy(vm);
	return status;
}

static unsigned interp_flags = 0, jit_flags = NYK_VM_JIT;

struct nyk_executor nyk_executor_interp(void)
{
	struct nyk_executor e = { "interp", vm_run, &interp_flags };
	return e;
}

struct nyk_executor nyk_executor_jit(void)
{
	struct nyk_executor e = { "jit", vm_run, &jit_flags };
	return e;
}
