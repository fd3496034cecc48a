/*
 * test_vm.h - what the vm's unit tests share: instruction builders, and
 * running one program through every flavour of the execution loop
 * (threaded and switch dispatch; unchecked, checked, slow) and of the JIT
 * (unchecked, checked, checked with blinded constants) where there is one.
 */
#ifndef NYUKI_TEST_VM_H
#define NYUKI_TEST_VM_H

#include "nyuki/vm.h"
#include "vm/jit_internal.h"
#include "vm/vm_internal.h"

#define I(op, dst, src, off, imm) \
	((struct nyk_insn){ (uint8_t)(op), nyk_insn_regs(dst, src), (int16_t)(off), (int32_t)(imm) })
#define LDDW_LO(d, v) I(0x18, d, 0, 0, (int32_t)(uint32_t)(uint64_t)(v))
#define LDDW_HI(v) I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define LDDW(d, v) LDDW_LO(d, v), LDDW_HI(v)
#define MOV_K(d, imm) I(0xb7, d, 0, 0, imm)
#define MOV_X(d, s) I(0xbf, d, s, 0, 0)
#define ADD_K(d, imm) I(0x07, d, 0, 0, imm)
#define ADD_X(d, s) I(0x0f, d, s, 0, 0)
#define LDXDW(d, s, off) I(0x79, d, s, off, 0)
#define LDXW(d, s, off) I(0x61, d, s, off, 0)
#define LDXB(d, s, off) I(0x71, d, s, off, 0)
#define STXDW(d, s, off) I(0x7b, d, s, off, 0)
#define STXB(d, s, off) I(0x73, d, s, off, 0)
#define STDW(d, off, imm) I(0x7a, d, 0, off, imm)
#define JA(off) I(0x05, 0, 0, off, 0)
#define JEQ_K(d, imm, off) I(0x15, d, 0, off, imm)
#define JNE_K(d, imm, off) I(0x55, d, 0, off, imm)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(0x85, 0, 1, 0, rel)
#define CALLX(d) I(0x8d, d, 0, 0, 0)
#define EXIT I(0x95, 0, 0, 0, 0)
#define NPROG(p) (sizeof(p) / sizeof((p)[0]))

enum tv_flavour {
	TV_FAST, TV_CHECKED, TV_SLOW_CHECKED, TV_SLOW_UNCHECKED,
	TV_SWITCH_FAST, TV_SWITCH_CHECKED, TV_SWITCH_SLOW_CHECKED, TV_SWITCH_SLOW_UNCHECKED,
#if VM_HAVE_JIT
	TV_JIT_UNCHECKED, TV_JIT_CHECKED, TV_JIT_BLIND,   /* compiled code (jit_x86_64.c) */
#endif
	TV_FLAVOURS
};

const char *tv_flavour_name(int flavour);
int tv_flavour_checked(int flavour);
/* Whether the flavour runs compiled code (it counts no instructions, traces nothing). */
int tv_flavour_jit(int flavour);

/* The switch-dispatch flavours, instantiated in test_vm_switch.c. */
int tv_switch_fast(struct nyk_exec *run, uint64_t *ret);
int tv_switch_checked(struct nyk_exec *run, uint64_t *ret);
int tv_switch_slow(struct nyk_exec *run, uint64_t *ret);

/* Run the program loaded in `vm` with one flavour. */
int tv_exec(struct nyk_vm *vm, int flavour, void *mem, size_t len, uint64_t *r0, struct nyk_error *err);

/* A vm with the tests' helpers registered (ids 1, 2, 3; see test_vm_util.c). */
struct nyk_vm *tv_vm(void);

/*
 * Load `p` into a fresh tv_vm() and run it in every flavour, each on its own
 * copy of mem (len <= 256). Returns 1 when all succeed with the same r0 and
 * the same final mem, stores r0 and the final mem (from the first flavour).
 * On a difference prints it and returns 0.
 */
int tv_run_all(const struct nyk_insn *p, size_t n, void *mem, size_t len, uint64_t *r0);

/* Like tv_run_all for a program expected to fault in the checked flavours. */
int tv_fault_all(const struct nyk_insn *p, size_t n, void *mem, size_t len, int code, const char *msg, long insn);

#endif
