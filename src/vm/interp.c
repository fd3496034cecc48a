/*
 * interp.c - running a loaded program: the entry points, the three
 * flavours of the execution loop (interp_loop.h), the semantics shared by
 * their handlers, and the faults they report.
 *
 * Flavours:
 *   vm_interp_fast     NYK_VM_UNCHECKED: no bounds checks, no budget, no count
 *   vm_interp_checked  the default: every load, store and atomic is checked
 *                      against mem, the live stack frames and the registered
 *                      regions; atomics must be aligned; one counter per
 *                      instruction enforces the budget (and gives the count)
 *   vm_interp_slow     nyk_vm_exec_traced, and NYK_VM_COUNT when unchecked:
 *                      counts every instruction, calls the trace callback,
 *                      and checks or not as run->checked says
 *
 * In every flavour: call depth is limited to NYK_MAX_CALL_DEPTH frames,
 * callx targets are checked, and the legacy packet loads (LD_ABS, LD_IND)
 * check their offset against mem_len and end the program with r0 = 0 when
 * it is out of bounds, as the kernel does.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vm/interp_ops.h"
#include "vm/jit_internal.h"
#include "vm/vm_internal.h"

/* ---- the loop, three times ----------------------------------------------- */

#define INTERP_NAME vm_interp_fast
#define INTERP_CHECKED 0
#define INTERP_SLOW 0
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW

#define INTERP_NAME vm_interp_checked
#define INTERP_CHECKED 1
#define INTERP_SLOW 0
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW

#define INTERP_NAME vm_interp_slow
#define INTERP_CHECKED (run->checked)
#define INTERP_SLOW 1
#include "vm/interp_loop.h"
#undef INTERP_NAME
#undef INTERP_CHECKED
#undef INTERP_SLOW

/* ---- faults -------------------------------------------------------------- */

static size_t fault_pc(const struct nyk_exec *run, const struct vm_insn *ip)
{
	return (size_t)(ip - run->code);
}

static const char *insn_name(const struct nyk_exec *run, const struct vm_insn *ip)
{
	const struct nyk_insn_desc *d = nyk_isa_lookup(&run->vm->insns[fault_pc(run, ip)]);
	return d ? d->name : "?";
}

static int fault(struct nyk_exec *run, const struct vm_insn *ip, int code)
{
	if (run->err) {
		run->err->code = code;
		run->err->insn = (long)fault_pc(run, ip);
	}
	return code;
}

/* Where an access went: "(r1 + 4)". */
static void describe_base(const struct vm_insn *ip, enum vm_access kind, char *buf, size_t size)
{
	unsigned base = kind == VM_LOAD ? ip->src : ip->dst;

	if (ip->off < 0)
		snprintf(buf, size, "(r%u - %ld)", base, -(long)ip->off);
	else
		snprintf(buf, size, "(r%u + %ld)", base, (long)ip->off);
}

/* Why an access is refused, in words. */
static const char *access_reason(const struct nyk_exec *run, uint64_t addr, unsigned size, enum vm_access kind)
{
	const struct nyk_vm *vm = run->vm;
	unsigned need = kind == VM_LOAD ? NYK_MEM_READ : kind == VM_STORE ? NYK_MEM_WRITE : NYK_MEM_READ | NYK_MEM_WRITE;

	if (vm_in(addr, size, run->stack_base, run->stack_lo - run->stack_base))
		return "below the current stack frame (beyond its 512 bytes, or a returned callee's frame)";
	if (vm_in(addr, 1, run->stack_lo, run->stack_hi - run->stack_lo) ||
	    vm_in(addr + size - 1, 1, run->stack_lo, run->stack_hi - run->stack_lo))
		return "crosses the bounds of the stack";
	if (vm_in(addr, 1, (uintptr_t)run->mem, run->mem_len) ||
	    vm_in(addr + size - 1, 1, (uintptr_t)run->mem, run->mem_len))
		return "crosses the end of mem";
	for (size_t i = 0; i < vm->nregions; i++) {
		const struct vm_region *r = &vm->regions[i];
		if (vm_in(addr, size, r->addr, r->len) && (r->flags & need) != need)
			return (need & NYK_MEM_WRITE) && !(r->flags & NYK_MEM_WRITE) ? "the region is read-only"
										  : "the region is write-only";
		if (vm_in(addr, 1, r->addr, r->len) || vm_in(addr + size - 1, 1, r->addr, r->len))
			return "crosses the bounds of a registered region";
	}
	return "not in mem, stack or a registered region";
}

VM_COLD int vm_fault_access(struct nyk_exec *run, const struct vm_insn *ip, uint64_t addr, unsigned size,
			    enum vm_access kind)
{
	static const char *const what[] = { "load", "store", "atomic" };
	char base[48];

	describe_base(ip, kind, base, sizeof(base));
	nyk_error_set(run->err, -EFAULT, "%s: out-of-bounds %u-byte %s at 0x%" PRIx64 " %s: %s", insn_name(run, ip),
		      size, what[kind], addr, base, access_reason(run, addr, size, kind));
	return fault(run, ip, -EFAULT);
}

VM_COLD int vm_fault_misaligned(struct nyk_exec *run, const struct vm_insn *ip, uint64_t addr, unsigned size)
{
	char base[48];

	describe_base(ip, VM_ATOMIC, base, sizeof(base));
	nyk_error_set(run->err, -EFAULT, "%s: misaligned %u-byte atomic at 0x%" PRIx64 " %s: must be %u-byte aligned",
		      insn_name(run, ip), size, addr, base, size);
	return fault(run, ip, -EFAULT);
}

VM_COLD int vm_fault_depth(struct nyk_exec *run, const struct vm_insn *ip)
{
	nyk_error_set(run->err, -EFAULT, "%s: call depth exceeds %d frames", insn_name(run, ip), NYK_MAX_CALL_DEPTH);
	return fault(run, ip, -EFAULT);
}

VM_COLD int vm_fault_callx(struct nyk_exec *run, const struct vm_insn *ip, uint64_t target)
{
	nyk_error_set(run->err, -EFAULT, "callx to 0x%" PRIx64 " (r%u): not a function of this program nor a registered helper",
		      target, ip->dst);
	return fault(run, ip, -EFAULT);
}

VM_COLD int vm_fault_budget(struct nyk_exec *run, const struct vm_insn *ip)
{
	nyk_error_set(run->err, -ELOOP, "instruction budget of %" PRIu64 " exhausted", run->vm->budget);
	return fault(run, ip, -ELOOP);
}

VM_COLD int vm_fault_internal(struct nyk_exec *run, const struct vm_insn *ip)
{
	nyk_error_set(run->err, -EINVAL, "internal error: no handler for operation %u", ip->op);
	return fault(run, ip, -EINVAL);
}

/* ---- tracing ------------------------------------------------------------- */

void vm_trace_step(struct nyk_exec *run, struct vm_trace *t, const uint64_t *regs, size_t next_pc, unsigned depth)
{
	if (t->pc != SIZE_MAX) {
		unsigned changed = 0;
		for (unsigned i = 0; i < NYK_REG_COUNT; i++)
			if (t->regs[i] != regs[i])
				changed |= 1u << i;
		run->trace(run->trace_user, t->pc, &run->vm->insns[t->pc], regs, changed, t->depth);
	}
	t->pc = next_pc;
	if (next_pc != SIZE_MAX) {
		memcpy(t->regs, regs, sizeof(t->regs));
		t->depth = depth;
	}
}

/* ---- entry points -------------------------------------------------------- */

/* vm_exec_init, inlined into nyk_vm_exec's path: a call fewer per run. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline void exec_init(struct nyk_exec *run, struct nyk_vm *vm, vm_interp_fn fn, int checked, void *mem,
			     size_t mem_len, struct nyk_error *err)
{
	const void *pkt = mem;
	size_t pkt_len = mem ? mem_len : 0;

	if (vm->packet_fn)
		vm->packet_fn(vm->packet_user, mem, mem ? mem_len : 0, &pkt, &pkt_len);
	run->vm = vm;
	run->code = vm->code;
	run->mem = mem;
	run->mem_len = mem ? mem_len : 0;
	run->pkt = pkt;
	run->pkt_len = pkt ? pkt_len : 0;
	run->interp = fn;
	run->parent = NULL;
	run->entry = 0;
	run->args[0] = (uint64_t)(uintptr_t)mem;
	run->args[1] = run->mem_len;
	run->args[2] = run->args[3] = run->args[4] = 0;
	run->depth_base = 0;
	run->depth = 0;
	run->stop = VM_STOP_NONE;
	run->stop_code = 0;
	run->stop_value = 0;
	run->checked = checked;
	run->budget = checked ? vm->budget : UINT64_MAX;
	run->trace = NULL;
	run->trace_user = NULL;
	run->err = err;
}

void vm_exec_init(struct nyk_exec *run, struct nyk_vm *vm, vm_interp_fn fn, int checked, void *mem, size_t mem_len,
		  struct nyk_error *err)
{
	exec_init(run, vm, fn, checked, mem, mem_len, err);
}

int vm_exec_with(struct nyk_vm *vm, vm_interp_fn fn, int checked, void *mem, size_t mem_len, uint64_t *ret,
		 nyk_trace_fn trace, void *trace_user, uint64_t *count, struct nyk_error *err)
{
	struct nyk_exec run;
	uint64_t r0 = 0;
	int rc;

	if (!vm || !vm->code)
		return nyk_error_set(err, -EINVAL, "no program loaded");
	vm_exec_init(&run, vm, fn, checked, mem, mem_len, err);
	run.trace = trace;
	run.trace_user = trace_user;
	rc = fn(&run, &r0);
	if (count)
		*count = (checked ? vm->budget : UINT64_MAX) - run.budget;
	if (rc == 0 && ret)
		*ret = r0;
	return rc;
}

static void store_count(struct nyk_vm *vm, uint64_t n)
{
#if VM_HAVE_ATOMIC_BUILTINS
	__atomic_store_n(&vm->last_count, n, __ATOMIC_RELAXED);
#else
	vm->last_count = n;
#endif
}

/*
 * nyk_vm_exec in the interpreter (and its errors): out of line, so that
 * the paths into compiled code in front need no stack frame of their own.
 */
static VM_NOINLINE int exec_general(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret,
				   struct nyk_error *err)
{
	struct nyk_exec run;

	if (VM_UNLIKELY(!vm || !vm->code))
		return nyk_error_set(err, -EINVAL, "no program loaded");
	if (VM_UNLIKELY(vm->flags & NYK_VM_COUNT)) {
		uint64_t n = 0;
		int checked = !(vm->flags & NYK_VM_UNCHECKED);
		int rc = vm_exec_with(vm, checked ? vm_interp_checked : vm_interp_slow, checked, mem, mem_len, ret,
				      NULL, NULL, &n, err);
		store_count(vm, n);
		return rc;
	}
	if (vm->flags & NYK_VM_UNCHECKED) {
		exec_init(&run, vm, vm_interp_fast, 0, mem, mem_len, err);
		return vm_interp_fast(&run, ret);
	}
	exec_init(&run, vm, vm_interp_checked, 1, mem, mem_len, err);
	return vm_interp_checked(&run, ret);
}

int nyk_vm_exec(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, struct nyk_error *err)
{
	/* Unchecked compiled code that needs no run: straight in (the fixed cost of a call is this). */
	if (VM_LIKELY(vm != NULL) && vm->direct)
		return vm->direct(mem, mem ? mem_len : 0, ret);
	if (vm && vm->jit && VM_LIKELY(!(vm->flags & NYK_VM_COUNT)))
		return vm_jit_exec(vm, mem, mem_len, ret, err);
	return exec_general(vm, mem, mem_len, ret, err);
}

int nyk_vm_exec_traced(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, nyk_trace_fn trace,
		       void *trace_user, struct nyk_error *err)
{
	uint64_t n = 0;
	int rc;

	if (!vm || !vm->code)
		return nyk_error_set(err, -EINVAL, "no program loaded");
	rc = vm_exec_with(vm, vm_interp_slow, !(vm->flags & NYK_VM_UNCHECKED), mem, mem_len, ret, trace, trace_user,
			  &n, err);
	store_count(vm, n);
	return rc;
}

/* ---- for helpers --------------------------------------------------------- */

struct nyk_vm *nyk_exec_vm(struct nyk_exec *exec)
{
	return exec->vm;
}

void *nyk_exec_user_data(struct nyk_exec *exec)
{
	return exec->vm->user;
}

int nyk_exec_checked(struct nyk_exec *exec)
{
	return exec->checked;
}

int nyk_exec_check_mem(struct nyk_exec *exec, uint64_t addr, uint64_t len, unsigned flags)
{
	if (len == 0)
		return 0;
	if (vm_in(addr, len, (uintptr_t)exec->mem, exec->mem_len) ||
	    vm_in(addr, len, exec->stack_lo, exec->stack_hi - exec->stack_lo) ||
	    vm_region_ok(exec->vm, addr, len, flags) || vm_outer_ok(exec, addr, len))
		return 0;
	return -EFAULT;
}

void nyk_exec_stop(struct nyk_exec *exec, uint64_t r0)
{
	exec->stop = VM_STOP_EXIT;
	exec->stop_value = r0;
}

/* End the calling run with `code` when the helper returns. */
static int exec_fail(struct nyk_exec *exec, int code)
{
	exec->stop = VM_STOP_FAULT;
	exec->stop_code = code;
	return code;
}

int nyk_exec_fail(struct nyk_exec *exec, int code, const char *fmt, ...)
{
	if (exec->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(exec->err->message, sizeof(exec->err->message), fmt, ap);
		va_end(ap);
		exec->err->code = code;
		exec->err->insn = -1;   /* the interpreter places it at the call */
	}
	return exec_fail(exec, code);
}

/*
 * Whether the tail call target runs nested on its compiled code: the
 * calling run is compiled code (no interp), the target has code for the
 * same checking, and, when that code makes bpf-to-bpf calls, it also calls
 * helpers (only then its prologue reads depth_base: vm_jit_exec leaves the
 * field unset in runs without helpers).
 */
static int tail_call_compiled(const struct nyk_exec *exec, const struct nyk_vm *target)
{
	const struct vm_jit *jit = target->jit;

	if (exec->interp || !jit || (target->flags & NYK_VM_COUNT))
		return 0;
	if (!(jit->flags & NYK_VM_UNCHECKED) != !!exec->checked)
		return 0;
	if ((target->facts.local_calls || target->facts.callx) && !jit->helpers)
		return 0;
	return jit->entry || (jit->direct && !exec->checked);
}

/* Run `run` (set up by exec_init) on the target's compiled code, as vm_jit_exec would. */
static int tail_call_run_compiled(struct nyk_exec *run, uint64_t *r0)
{
	const struct vm_jit *jit = run->vm->jit;
	struct vm_jit_result res;

	if (!jit->entry)   /* unchecked code that needs no run */
		return jit->direct(run->mem, run->mem_len, r0);
	run->interp = NULL;   /* compiled: its callbacks and tail calls take the compiled paths */
	run->stack_base = run->stack_lo = run->stack_hi = 0;
	if (run->checked)
		vm_set_mem_limits(run, run->mem_len);
	res = jit->entry(run->mem, run->mem_len, run);
	if (res.rc)
		return (int)res.rc;
	*r0 = res.r0;
	return 0;
}

int nyk_exec_tail_call(struct nyk_exec *exec, struct nyk_vm *target)
{
	struct nyk_exec run;
	uint64_t r0 = 0;
	int compiled, rc;

	if (exec->depth == 0 && !exec->parent)
		return 0;   /* the entry function: the whole run ends, its caller runs the target */
	if (!target || !target->code) {
		nyk_error_set(exec->err, -EINVAL, "tail call: the target program is not loaded");
		return exec_fail(exec, -EINVAL);
	}
	compiled = tail_call_compiled(exec, target);
	exec_init(&run, target, exec->checked ? vm_interp_checked : vm_interp_fast, exec->checked, exec->mem,
		  exec->mem_len, exec->err);
	run.parent = exec;
	/* The target takes the calling frame's place: the frames below it stay in use. */
	run.depth_base = exec->depth_base + exec->depth;
	run.budget = exec->budget;
	rc = compiled ? tail_call_run_compiled(&run, &r0) : run.interp(&run, &r0);
	exec->budget = run.budget;
	if (rc < 0)
		return exec_fail(exec, rc);
	if (run.stop == VM_STOP_EXIT) {   /* the target ended the whole run (nyk_exec_stop) */
		nyk_exec_stop(exec, run.stop_value);
		return 1;
	}
	exec->stop = VM_STOP_RETURN;
	exec->stop_value = r0;
	return 1;
}

int nyk_exec_call(struct nyk_exec *exec, uint64_t func, const uint64_t args[5], uint64_t *ret)
{
	struct nyk_vm *vm = exec->vm;
	uint64_t off = func - (uint64_t)(uintptr_t)vm->insns;
	unsigned frames = exec->depth_base + exec->depth + 1;   /* in use, the caller's included */
	struct nyk_exec run;
	uint64_t r0 = 0;
	int rc;

	if (off >= vm->count * sizeof(struct nyk_insn) || off % sizeof(struct nyk_insn) ||
	    !vm->entry[off / sizeof(struct nyk_insn)]) {
		nyk_error_set(exec->err, -EFAULT, "callback 0x%" PRIx64 ": not a function of this program", func);
		return exec_fail(exec, -EFAULT);
	}
	if (frames >= NYK_MAX_CALL_DEPTH) {
		nyk_error_set(exec->err, -EFAULT, "callback: call depth exceeds %d frames", NYK_MAX_CALL_DEPTH);
		return exec_fail(exec, -EFAULT);
	}
	run = *exec;
	if (!run.interp)   /* a run of another executor (a JIT): interpret the callback */
		run.interp = exec->checked ? vm_interp_checked : vm_interp_fast;
	run.parent = exec;
	run.entry = (size_t)(off / sizeof(struct nyk_insn));
	memcpy(run.args, args, sizeof(run.args));
	run.depth_base = frames;
	run.depth = 0;
	run.stop = VM_STOP_NONE;
	rc = run.interp(&run, &r0);
	exec->budget = run.budget;
	if (rc < 0)
		return exec_fail(exec, rc);
	if (ret)
		*ret = r0;
	if (run.stop == VM_STOP_EXIT) {   /* the callback ended the program */
		nyk_exec_stop(exec, run.stop_value);
		return 1;
	}
	return 0;
}
