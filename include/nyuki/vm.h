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
	NYK_VM_COUNT = 1u << 1,      /* count executed instructions (nyk_vm_last_insn_count) */
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

/* For helpers: the vm, its user data, and checks of pointers they receive. */
struct nyk_vm *nyk_exec_vm(struct nyk_exec *exec);
void *nyk_exec_user_data(struct nyk_exec *exec);
/* 0 if [addr, addr+len) is memory the run may access with `flags`, else -EFAULT. */
int nyk_exec_check_mem(struct nyk_exec *exec, uint64_t addr, uint64_t len, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif
