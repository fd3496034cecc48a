/*
 * jit.c - the JIT's backend-neutral driver: compiling a loaded program,
 * entering the compiled code from nyk_vm_exec, and the run-time routines
 * compiled code calls out to (memory checks against the registered
 * regions, faults, callx of a helper id). Faults reuse the interpreter's
 * vm_fault_* functions, so both executors give the same messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vm/interp_ops.h"
#include "vm/jit_internal.h"

#if VM_HAVE_JIT
static uint64_t jit_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

void vm_jit_free(struct vm_jit *jit)
{
	if (!jit)
		return;
	vm_jit_mem_free(jit->map, jit->map_size);
	free(jit->offsets);
	free(jit->block_len);
	free(jit->callx_table);
	free(jit);
}

int vm_jit_compile(struct nyk_vm *vm, unsigned flags, struct nyk_error *err)
{
#if VM_HAVE_JIT
	struct vm_jit *jit;
	uint64_t t0 = jit_now_ns();
	int rc;

	if (!vm->code)
		return nyk_error_set(err, -EINVAL, "no program loaded");
	jit = calloc(1, sizeof(*jit));
	if (!jit)
		return nyk_error_set(err, -ENOMEM, "out of memory compiling the program");
	rc = vm_jit_backend_compile(vm, jit, flags, err);
	if (rc < 0) {
		vm_jit_free(jit);
		return rc;
	}
	jit->compile_ns = jit_now_ns() - t0;
	vm_jit_free(vm->jit);
	vm->jit = jit;
	vm_refresh_direct(vm);
	return 0;
#else
	(void)vm;
	(void)flags;
	return nyk_error_set(err, -ENOTSUP, "the JIT is not available on this machine (it compiles for x86-64 "
			     "System V only); run without NYK_VM_JIT to use the interpreter");
#endif
}

int nyk_vm_jit_available(void)
{
	return VM_HAVE_JIT;
}

const void *nyk_vm_jit_code(const struct nyk_vm *vm, size_t *size)
{
	if (!vm || !vm->jit) {
		if (size)
			*size = 0;
		return NULL;
	}
	if (size)
		*size = vm->jit->code_size;
	return vm->jit->code;
}

const uint32_t *nyk_vm_jit_offsets(const struct nyk_vm *vm, size_t *count)
{
	if (!vm || !vm->jit) {
		if (count)
			*count = 0;
		return NULL;
	}
	if (count)
		*count = vm->jit->count;
	return vm->jit->offsets;
}

uint64_t nyk_vm_jit_compile_ns(const struct nyk_vm *vm)
{
	return vm && vm->jit ? vm->jit->compile_ns : 0;
}

nyk_jit_fn nyk_vm_jit_function(const struct nyk_vm *vm)
{
	/* vm->direct is what nyk_vm_exec calls straight away: the same contract. */
	return vm ? (nyk_jit_fn)vm->direct : NULL;
}

int vm_jit_exec(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, struct nyk_error *err)
{
	const struct vm_jit *jit = vm->jit;
	struct nyk_exec run;
	struct vm_jit_result res;

	if (!mem)
		mem_len = 0;
	if (jit->direct)   /* unchecked, no helpers, calls or packet loads: nothing reads the run */
		return jit->direct(mem, mem_len, ret);
	/* What compiled code reads; all of it when helpers may look (nyk_exec_call copies the run). */
	run.vm = vm;
	run.code = vm->code;
	run.mem = mem;
	run.mem_len = mem_len;
	run.stack_base = run.stack_lo = run.stack_hi = 0;
	run.err = err;
	run.checked = !(jit->flags & NYK_VM_UNCHECKED);
	if (run.checked) {
		run.budget = vm->budget;
		vm_set_mem_limits(&run, mem_len);
	}
	if (jit->packet || jit->helpers) {
		run.pkt = mem;
		run.pkt_len = mem_len;
		if (vm->packet_fn) {
			const void *pkt = mem;
			size_t pkt_len = mem_len;
			vm->packet_fn(vm->packet_user, mem, mem_len, &pkt, &pkt_len);
			run.pkt = pkt;
			run.pkt_len = pkt ? pkt_len : 0;
		}
	}
	if (jit->helpers) {
		run.interp = NULL;       /* callbacks (nyk_exec_call) run in the interpreter */
		run.parent = NULL;
		run.entry = 0;
		run.args[0] = (uint64_t)(uintptr_t)mem;
		run.args[1] = mem_len;
		run.args[2] = run.args[3] = run.args[4] = 0;
		run.depth_base = 0;
		run.depth = 0;
		run.stop = VM_STOP_NONE;
		run.stop_code = 0;
		run.stop_value = 0;
		if (!run.checked)
			run.budget = UINT64_MAX;
		run.trace = NULL;
		run.trace_user = NULL;
	}
	res = jit->entry(mem, mem_len, &run);
	if (VM_UNLIKELY(res.rc))
		return (int)res.rc;
	if (ret)
		*ret = res.r0;
	return 0;
}

size_t vm_jit_pc_of(const struct vm_jit *jit, uintptr_t ret_addr)
{
	uint64_t x = (uint64_t)(ret_addr - (uintptr_t)jit->code) - 1;
	size_t lo = 0, hi = jit->count;   /* the answer is in [lo, hi) */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (jit->offsets[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The run's view of the stack at a fault: frames from the frame pointer compiled code passed. */
static void set_frames(struct nyk_exec *run, uintptr_t frame)
{
	if (run->stack_hi) {
		run->stack_lo = frame - NYK_STACK_SIZE;
		run->stack_base = run->stack_hi - VM_STACK_BYTES;
	}
}

int64_t vm_jit_check_access(struct nyk_exec *run, uint64_t kind, uint64_t addr, uintptr_t ret_addr,
			    uintptr_t frame)
{
	unsigned size = (unsigned)(kind & 0xff);
	enum vm_access access = (enum vm_access)((kind >> 8) & 0xff);
	unsigned flags = access == VM_LOAD ? NYK_MEM_READ : access == VM_STORE ? NYK_MEM_WRITE
										 : NYK_MEM_READ | NYK_MEM_WRITE;

	set_frames(run, frame);
	if (run->stack_hi && vm_in(addr, size, run->stack_lo, run->stack_hi - run->stack_lo))
		return 0;
	if (run->vm->nregions && vm_region_ok(run->vm, addr, size, flags))
		return 0;
	return vm_fault_access(run, &run->code[vm_jit_pc_of(run->vm->jit, ret_addr)], addr, size, access);
}

int64_t vm_jit_fault(struct nyk_exec *run, uint64_t kind, uint64_t value, uintptr_t ret_addr, uintptr_t frame,
		     uint64_t budget)
{
	const struct vm_jit *jit = run->vm->jit;
	size_t pc = vm_jit_pc_of(jit, ret_addr);
	const struct vm_insn *ip = &run->code[pc];

	set_frames(run, frame);
	switch (kind & 0xff) {
	case VM_JIT_MISALIGNED:
		return vm_fault_misaligned(run, ip, value, (unsigned)((kind >> 8) & 0xff));
	case VM_JIT_DEPTH:
		return vm_fault_depth(run, ip);
	case VM_JIT_CALLX:
		return vm_fault_callx(run, ip, value);
	case VM_JIT_STOPPED:
		if (run->err && run->err->insn < 0)
			run->err->insn = (long)pc;   /* nyk_exec_fail: the helper call */
		return run->stop_code;
	case VM_JIT_BUDGET: {
		/* The block at pc needed more than was left: the interpreter stops at its left-th instruction. */
		uint64_t left = budget + (jit->block_len ? jit->block_len[pc] : 0);
		for (uint64_t k = 0; k < left && pc < jit->count; k++)
			pc += vm_op_first(run->code[pc].op) == VM_OP_LDDW ? 2 : 1;
		run->budget = 0;
		return vm_fault_budget(run, &run->code[pc < jit->count ? pc : jit->count - 1]);
	}
	default:
		return vm_fault_internal(run, ip);
	}
}

nyk_helper_fn vm_jit_callx_helper(struct nyk_exec *run, uint64_t id)
{
	long h = vm_helper_index(run->vm, id);

	return h < 0 ? NULL : run->vm->helpers[h].fn;
}
