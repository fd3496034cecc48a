/*
 * gen.h - random eBPF programs for differential testing: valid programs
 * that terminate, touching every kind of instruction (all ALU rows of the
 * ISA table, loads and stores of every size, sign-extending loads, every
 * atomic, byte swaps, 32- and 64-bit conditional jumps, bounded loops,
 * bpf-to-bpf calls, callx of functions and helpers, helper and kfunc
 * calls, lddw, legacy packet loads), plus now and then a faulting access.
 *
 * The programs keep pointers out of the values they compute, so every
 * executor must give the same r0, the same memory and the same fault:
 *   r1  = mem (256 bytes), never written; r7 a copy of it, never written
 *   r9  loop counter; r10 frame pointer
 *   r0, r2..r6, r8 values. Stack accesses stay in [r10 - 64, r10), which
 *   each function zeroes first (unchecked runs start with garbage there).
 *   After a helper call r1..r5 are set again (executors may clobber them).
 * Helpers the run must register: DT_HELPER (id 1) and kfunc DT_KFUNC
 * (BTF id 77), both dt_helper.
 *
 * dt_run compares executors on one program: the interpreter (checked) is
 * the reference; the JIT (checked, checked with blinding) must match it,
 * and when it succeeded, the unchecked interpreter and JIT too.
 */
#ifndef NYUKI_DIFFTEST_GEN_H
#define NYUKI_DIFFTEST_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/vm.h"

enum { DT_MEM = 256, DT_MAX_INSNS = 8192, DT_HELPER = 1, DT_KFUNC = 77 };

struct dt_prog {
	struct nyk_insn insn[DT_MAX_INSNS];
	size_t n;
	uint8_t mem[DT_MEM];
	uint64_t budget;       /* 0: the default */
};

/* Generate program number `seed` (deterministic). `size` scales its length (1 small .. 4 large). */
void dt_generate(struct dt_prog *p, uint64_t seed, int size);

/*
 * The same for the Linux kernel's verifier (its programs differ from
 * dt_generate's): no helper, kfunc or callx calls, no faulting accesses,
 * aligned stack accesses, constant shifts below the width and no constant
 * division by zero, r1..r5 set again after each call, every function
 * called, what follows a jump or an exit reachable, no budget. A quarter
 * are packet programs: one function, LD_ABS/LD_IND with r6 left to the
 * context, mem only read (the kernel's packet is a copy of it).
 */
void dt_generate_kernel(struct dt_prog *p, uint64_t seed, int size);

uint64_t dt_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x);

/* What dt_compare runs besides the checked executors. */
enum {
	DT_UNCHECKED = 1,   /* the unchecked interpreter and JIT, when the checked run succeeded */
	DT_HELPERS = 2,     /* register DT_HELPER and DT_KFUNC */
	DT_ALL = DT_UNCHECKED | DT_HELPERS,
};

/*
 * Run `insns` on every executor and compare. Returns 1 when they agree
 * (or the program is refused by the loader: `why` then starts with
 * "refused"), 0 with a description in `why` when they differ. `mem`
 * (DT_MEM bytes or NULL) is the input. Unchecked runs are only safe for
 * programs that read no uninitialised stack (generated ones).
 */
int dt_compare(const struct nyk_insn *insns, size_t n, const uint8_t *mem, size_t mem_len, uint64_t budget,
	       unsigned what, char *why, size_t why_size);

/*
 * Whether a program uses r10 as a value (not only as the base of an
 * access): its results then depend on where the stack is, which differs
 * between executors.
 */
int dt_uses_fp_value(const struct nyk_insn *insns, size_t n);

#endif
