/*
 * nyuki/vm.h - run eBPF programs in user space.
 *
 * A struct nyk_vm holds one loaded program, its helpers and its options.
 * Typical use:
 *
 *   struct nyk_vm *vm = nyk_vm_create();
 *   nyk_vm_register_helper(vm, 5, "ktime_get_ns", my_ktime, NULL);
 *   if (nyk_vm_load(vm, insns, count, &err) < 0) ...   // validates, pre-decodes
 *   uint64_t r0;
 *   if (nyk_vm_exec(vm, mem, mem_len, &r0, &err) < 0) ...  // r1 = mem, r2 = mem_len
 *   nyk_vm_destroy(vm);
 *
 * nyk_vm_exec is reentrant: each call keeps its registers and stacks on the
 * caller's stack, so one loaded vm may run on several threads at once.
 *
 * Checked mode (NYK_VM_CHECKED, the default) is for programs that no
 * verifier has accepted: every load and store is checked against the memory
 * the run may touch (the mem/ctx region, the live stack frames, and regions
 * added with nyk_vm_add_region), and an instruction budget stops endless
 * loops. A fault ends the run with -EFAULT and a message naming the
 * instruction; it never crashes the host. Unchecked mode trusts the program
 * and runs faster.
 *
 * What a run sees:
 *  - r1 = mem, r2 = mem_len, r10 = top of a 512-byte stack frame, the
 *    other registers 0. Checked runs start every frame zeroed; in unchecked
 *    runs stack contents start undefined.
 *  - bpf-to-bpf calls (and callx of an address from a pseudo-func lddw) get
 *    a fresh frame below the caller's and keep r6-r9; at most
 *    NYK_MAX_CALL_DEPTH frames in all, counting the main program's: the
 *    call that would make one more faults, in both modes. callx of a value
 *    that is not a function of the program calls the helper of that id,
 *    else faults.
 *  - A checked access may touch mem, the frames of the current function
 *    and its callers (not those of returned callees), and added regions.
 *    Atomics must be aligned in checked mode (assumed in unchecked mode).
 *  - The legacy packet loads (LD_ABS, LD_IND) read big-endian from mem at
 *    imm (or src + imm, in 32 bits); when that is outside mem (checked in
 *    both modes) the program ends at once with r0 = 0, as in the kernel.
 *  - nyk_vm_load refuses kfunc calls, calls of unregistered helper ids and
 *    lddw with a map or BTF pseudo source (the object loader resolves
 *    those).
 * On failure the error names the instruction (err->insn); on success the
 * error is left untouched.
 *
 * The JIT (NYK_VM_JIT, x86-64 with the System V ABI; nyk_vm_jit_available
 * says whether this build has it, and nyk_vm_load/nyk_vm_set_opts fail
 * with -ENOTSUP where it does not) compiles the program at load, in the
 * mode the options say, and nyk_vm_exec runs the machine code. It computes
 * what the interpreter computes, with the same faults and messages, except:
 *  - r1..r5 hold undefined values after a helper (or kfunc) call, as the
 *    eBPF calling convention says (the interpreter leaves them as they were);
 *  - the checked budget is counted per straight-line block: when a block
 *    needs more than is left, the run stops before the block's first
 *    instruction, naming the instruction the interpreter would stop at;
 *  - NYK_VM_COUNT and nyk_vm_exec_traced run in the interpreter.
 * Changing NYK_VM_UNCHECKED or NYK_VM_JIT_BLIND with nyk_vm_set_opts after
 * load compiles the program again. Code memory is never writable and
 * executable at once.
 */
#ifndef NYUKI_VM_H
#define NYUKI_VM_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nyk_vm;
struct nyk_exec;   /* one run in progress, handed to helpers */

/*
 * A helper: receives r1..r5 and the run it is called from, returns r0.
 * Helpers that take pointers should check them with nyk_exec_check_mem.
 */
typedef uint64_t (*nyk_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct nyk_exec *exec);

/* Options; zero-initialise and set `size = sizeof(struct nyk_vm_opts)`. */
struct nyk_vm_opts {
	size_t size;
	unsigned flags;             /* NYK_VM_* */
	uint64_t insn_budget;       /* checked mode: max instructions per run (0 = default 1<<32) */
};

enum {
	NYK_VM_UNCHECKED = 1u << 0,  /* trust the program: no bounds checks, no budget */
	NYK_VM_COUNT = 1u << 1,      /* count executed instructions (nyk_vm_last_insn_count); runs in the interpreter */
	NYK_VM_JIT = 1u << 2,        /* compile to machine code at load (see "The JIT" above) */
	NYK_VM_JIT_BLIND = 1u << 3,  /* with NYK_VM_JIT: blind constants (no program immediate appears in the code) */
};

/* Region flags for nyk_vm_add_region. */
enum { NYK_MEM_READ = 1, NYK_MEM_WRITE = 2 };

/*
 * Trace callback: called after each executed instruction with its index,
 * the instruction, the registers after it ran, a bit mask of registers
 * whose value changed (bit n = rn) and the call depth it ran at (0 in the
 * main program). An instruction that faults is not reported.
 */
typedef void (*nyk_trace_fn)(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
			     unsigned changed_mask, unsigned depth);

struct nyk_vm *nyk_vm_create(void);
void nyk_vm_destroy(struct nyk_vm *vm);

/* Set options (before or after load). Returns 0 or -EINVAL. */
int nyk_vm_set_opts(struct nyk_vm *vm, const struct nyk_vm_opts *opts);

/* Register helper `id` (replaces an earlier one with the same id). */
int nyk_vm_register_helper(struct nyk_vm *vm, uint32_t id, const char *name, nyk_helper_fn fn,
			   struct nyk_error *err);

/*
 * Register the host function that kfunc calls (call with src 2) to BTF id
 * `btf_id` run. Kfuncs share the helper calling convention.
 */
int nyk_vm_register_kfunc(struct nyk_vm *vm, uint32_t btf_id, const char *name, nyk_helper_fn fn,
			  struct nyk_error *err);

/*
 * Resolves lddw with a pseudo source (map fd, map value, BTF variable, map
 * index, map index value) to the 64-bit value the program sees, at load.
 * `imm` and `next_imm` are the two immediates of the lddw. Return 0 or a
 * negative errno (filling `err`) to refuse the program.
 */
typedef int (*nyk_lddw_resolver_fn)(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
				    struct nyk_error *err);
/* Without a resolver such lddw are refused at load. */
void nyk_vm_set_lddw_resolver(struct nyk_vm *vm, nyk_lddw_resolver_fn fn, void *user);

/*
 * Where the legacy packet loads (LD_ABS, LD_IND) read. By default they read
 * mem; with a packet function, each run calls it once at its start with the
 * run's mem (for a socket filter: the context) and reads the packet it gives,
 * as the kernel reads the skb's data whatever r1 holds. NULL restores mem.
 */
typedef void (*nyk_packet_fn)(void *user, void *mem, size_t mem_len, const void **pkt, size_t *pkt_len);
void nyk_vm_set_packet_fn(struct nyk_vm *vm, nyk_packet_fn fn, void *user);

/* Name of a registered helper, or NULL. */
const char *nyk_vm_helper_name(const struct nyk_vm *vm, uint32_t id);

/* Pointer handed to helpers through nyk_exec_user_data. */
void nyk_vm_set_user_data(struct nyk_vm *vm, void *user);

/*
 * Memory that checked runs may access besides mem and the stack (map
 * values, packet buffers, ...). Stays valid until nyk_vm_clear_regions.
 */
int nyk_vm_add_region(struct nyk_vm *vm, void *addr, size_t len, unsigned flags, struct nyk_error *err);
void nyk_vm_clear_regions(struct nyk_vm *vm);

/*
 * Validate and load a program (copied; the caller keeps `insns`). Calls to
 * helper ids that are not registered are refused here, naming the id.
 */
int nyk_vm_load(struct nyk_vm *vm, const struct nyk_insn *insns, size_t count, struct nyk_error *err);

/* Run the loaded program with r1 = mem, r2 = mem_len. Stores r0 in *ret. */
int nyk_vm_exec(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, struct nyk_error *err);

/* Like nyk_vm_exec, calling `trace` after every instruction. */
int nyk_vm_exec_traced(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, nyk_trace_fn trace,
		       void *trace_user, struct nyk_error *err);

/*
 * Instructions executed by the last run (with NYK_VM_COUNT or a trace),
 * counting a faulting one. With runs on several threads, one of theirs.
 */
uint64_t nyk_vm_last_insn_count(const struct nyk_vm *vm);

/* Whether this build has a JIT for this machine (1) or not (0). */
int nyk_vm_jit_available(void);

/*
 * The machine code of the loaded program (NULL without NYK_VM_JIT), its
 * size in *size, and where each instruction's code starts: offsets[pc]
 * for each slot pc (an lddw's second slot has the offset of the next
 * instruction), offsets[count] where the program's code ends (stubs the
 * instructions share follow). Valid until the next load or set_opts.
 */
const void *nyk_vm_jit_code(const struct nyk_vm *vm, size_t *size);
const uint32_t *nyk_vm_jit_offsets(const struct nyk_vm *vm, size_t *count);
/* Time the last JIT compile took, in nanoseconds (0 without JIT code). */
uint64_t nyk_vm_jit_compile_ns(const struct nyk_vm *vm);

/*
 * The compiled program as a plain C function, for a host that calls it
 * often and wants nothing between its call and the code (uBPF's compiled
 * function, in nyuki's shape): fn(mem, mem_len, &r0) runs the program with
 * r1 = mem, r2 = mem_len (pass 0 with a NULL mem), stores r0 and returns 0
 * — exactly what nyk_vm_exec does for such a program. Only code that needs
 * no run: NYK_VM_JIT | NYK_VM_UNCHECKED (a verified program), no helpers,
 * bpf-to-bpf calls or legacy packet loads, no NYK_VM_COUNT; NULL otherwise.
 * Valid until the next load, set_opts or destroy.
 */
typedef int (*nyk_jit_fn)(void *mem, size_t mem_len, uint64_t *ret);
nyk_jit_fn nyk_vm_jit_function(const struct nyk_vm *vm);

/* For helpers: the vm, its user data, and checks of pointers they receive. */
struct nyk_vm *nyk_exec_vm(struct nyk_exec *exec);
void *nyk_exec_user_data(struct nyk_exec *exec);
/* Whether the run checks memory accesses (helpers check pointers they get only then). */
int nyk_exec_checked(struct nyk_exec *exec);
/* 0 if [addr, addr+len) is memory the run may access with `flags`, else -EFAULT. */
int nyk_exec_check_mem(struct nyk_exec *exec, uint64_t addr, uint64_t len, unsigned flags);

/*
 * For helpers that end the program (bpf_tail_call): when the helper
 * returns, the run ends at once as if the main program had exited with
 * r0 = `r0` (the helper's own return value is dropped, bpf-to-bpf frames
 * are abandoned; in a nested run of nyk_exec_call the outer runs end too).
 *
 * Every executor must honour it: after each helper or kfunc call, test
 * the run's stop flag before the next instruction (the interpreter does;
 * a JIT must too).
 */
void nyk_exec_stop(struct nyk_exec *exec, uint64_t r0);

/*
 * For helpers that find the run cannot go on (an instruction a verifier
 * would have refused, such as a call poisoned by a failed CO-RE
 * relocation): when the helper returns, the run ends with `code` (a
 * negative errno) and this message, placed at the calling instruction.
 * Returns `code`. Executors honour it as they honour nyk_exec_stop.
 */
int nyk_exec_fail(struct nyk_exec *exec, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/*
 * For helpers that call back into the program (bpf_loop,
 * bpf_for_each_map_elem): run the program's function at `func` (the value
 * of a pseudo-func lddw, as the program passed it) with r1..r5 = args and
 * store its r0 in *ret. The function gets a fresh stack frame and counts
 * toward NYK_MAX_CALL_DEPTH together with its caller's frames; it shares
 * the run's instruction budget, mem and regions, and in checked mode may
 * access the live stack frames of the runs that called it. Returns 0; 1
 * when the called code ended the run (nyk_exec_stop, e.g. a tail call): do
 * not call again, return; or a negative errno when `func` is not a
 * function of the program or the call faults: the error is recorded in the
 * run's error and the calling run ends with it when the helper returns
 * (return promptly).
 *
 * The nested run uses the interpreter flavour of the calling run; a JIT
 * calling helpers needs no support of its own beyond a well-formed exec.
 */
int nyk_exec_call(struct nyk_exec *exec, uint64_t func, const uint64_t args[5], uint64_t *ret);

/*
 * For bpf_tail_call: the target replaces only the calling frame, as in the
 * kernel (x86-64 JIT, since 5.10). Called from the program's entry
 * function, it does nothing and returns 0: the helper ends the run
 * (nyk_exec_stop) and whoever runs the program runs `target` after it.
 * Called from a subprogram (or a callback of nyk_exec_call), it runs
 * `target`'s program now on the run's memory (r1 = mem, r2 = mem_len),
 * with the run's checking and sharing its budget: on its compiled code
 * when the calling run is compiled code and the target has it, else in
 * the interpreter. When the helper returns, the calling frame returns the
 * target's r0 to its caller, which goes on; returns 1. A negative errno
 * when the target faults: the run ends with it when the helper returns.
 */
int nyk_exec_tail_call(struct nyk_exec *exec, struct nyk_vm *target);

#ifdef __cplusplus
}
#endif

#endif
