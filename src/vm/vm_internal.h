/*
 * vm_internal.h - the interpreter's shared pieces: the decoded instruction,
 * the list of operations it dispatches on, the loaded vm and one run.
 *
 * Loading (vm.c) validates a program with isa_decode(), which gives each
 * slot its row of the ISA table, and turns every slot into a struct
 * vm_insn: the operation the row maps to (one per row, VM_OPS below) and
 * its operands, ready to use. The execution loop (interp_loop.h, included
 * by interp.c once per flavour) does no decoding work:
 *
 *   +--------+--------+--------+--------+----------------------+
 *   | op (8) | dst(8) | src(8) | pad(8) |   off / target (32)  |   bytes 0..7
 *   +--------+--------+--------+--------+----------------------+
 *   |                      imm (64)                            |   bytes 8..15
 *   +----------------------------------------------------------+
 *
 *   op      enum vm_op: the row's operation, or a superinstruction that
 *           also runs the next slot (VM_FUSED_OPS); sub of an immediate is
 *           loaded as add of its negation
 *   off     memory offset (sign-extended), or the absolute slot index of
 *           a jump or local call target
 *   imm     the immediate, sign-extended to 64 bits (32-bit operations
 *           use its low half); for lddw the whole 64-bit constant (or
 *           the address of the target slot for a pseudo-func lddw); for
 *           a helper call the index of the helper in vm->helpers
 */
#ifndef NYUKI_VM_INTERNAL_H
#define NYUKI_VM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/vm.h"

/* ---- configuration: limits and platform differences ---------------------- */

#define VM_DEFAULT_BUDGET (UINT64_C(1) << 32)
#define VM_STACK_BYTES (NYK_MAX_CALL_DEPTH * NYK_STACK_SIZE)

/* Threaded dispatch with computed goto where the compiler has it. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(NYK_NO_COMPUTED_GOTO)
#define VM_COMPUTED_GOTO 1
#else
#define VM_COMPUTED_GOTO 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define VM_COLD __attribute__((cold, noinline))
#define VM_NOINLINE __attribute__((noinline))
#define VM_HAVE_ATOMIC_BUILTINS 1
#else
#define VM_LIKELY(x) (x)
#define VM_UNLIKELY(x) (x)
#define VM_COLD
#define VM_NOINLINE
#define VM_HAVE_ATOMIC_BUILTINS 0
#endif

/* Byte order of the host, at compile time where the compiler says it. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VM_HOST_LE 1
#elif defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define VM_HOST_LE 0
#else
static inline int vm_host_le(void)
{
	const union { uint16_t u; uint8_t b[2]; } one = { 1 };
	return one.b[0];
}
#define VM_HOST_LE vm_host_le()
#endif

/* ---- the operations ------------------------------------------------------ */

/*
 * One operation per row of the ISA table: X(name, opcode, selector value).
 * The pair (opcode, selector value) picks the row (the selector field is
 * the row's; rows without one have value 0). vm_op_of_row() maps rows to
 * operations with a switch generated from this list, so a duplicate is a
 * compile error and a missing row shows in the unit tests.
 */
#define VM_ALU4(X, N, code, sel)                              \
	X(N##32_K, NYK_CLASS_ALU | NYK_SRC_K | (code), sel)   \
	X(N##32_X, NYK_CLASS_ALU | NYK_SRC_X | (code), sel)   \
	X(N##64_K, NYK_CLASS_ALU64 | NYK_SRC_K | (code), sel) \
	X(N##64_X, NYK_CLASS_ALU64 | NYK_SRC_X | (code), sel)

#define VM_JMP4(X, N, code)                                 \
	X(N##_K, NYK_CLASS_JMP | NYK_SRC_K | (code), 0)     \
	X(N##_X, NYK_CLASS_JMP | NYK_SRC_X | (code), 0)     \
	X(N##32_K, NYK_CLASS_JMP32 | NYK_SRC_K | (code), 0) \
	X(N##32_X, NYK_CLASS_JMP32 | NYK_SRC_X | (code), 0)

#define VM_ATOMIC2(X, N, aop)                                             \
	X(N##32, NYK_CLASS_STX | NYK_MODE_ATOMIC | NYK_SIZE_W, aop)       \
	X(N##64, NYK_CLASS_STX | NYK_MODE_ATOMIC | NYK_SIZE_DW, aop)

#define VM_OPS(X)                                                                        \
	VM_ALU4(X, ADD, NYK_ALU_ADD, 0)                                                  \
	VM_ALU4(X, SUB, NYK_ALU_SUB, 0)                                                  \
	VM_ALU4(X, MUL, NYK_ALU_MUL, 0)                                                  \
	VM_ALU4(X, DIV, NYK_ALU_DIV, 0)                                                  \
	VM_ALU4(X, SDIV, NYK_ALU_DIV, 1)                                                 \
	VM_ALU4(X, OR, NYK_ALU_OR, 0)                                                    \
	VM_ALU4(X, AND, NYK_ALU_AND, 0)                                                  \
	VM_ALU4(X, LSH, NYK_ALU_LSH, 0)                                                  \
	VM_ALU4(X, RSH, NYK_ALU_RSH, 0)                                                  \
	VM_ALU4(X, MOD, NYK_ALU_MOD, 0)                                                  \
	VM_ALU4(X, SMOD, NYK_ALU_MOD, 1)                                                 \
	VM_ALU4(X, XOR, NYK_ALU_XOR, 0)                                                  \
	VM_ALU4(X, MOV, NYK_ALU_MOV, 0)                                                  \
	VM_ALU4(X, ARSH, NYK_ALU_ARSH, 0)                                                \
	X(MOVSX8_32, NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_MOV, 8)                         \
	X(MOVSX16_32, NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_MOV, 16)                       \
	X(MOVSX8_64, NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, 8)                       \
	X(MOVSX16_64, NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, 16)                     \
	X(MOVSX32_64, NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, 32)                     \
	X(NEG32, NYK_CLASS_ALU | NYK_ALU_NEG, 0)                                         \
	X(NEG64, NYK_CLASS_ALU64 | NYK_ALU_NEG, 0)                                       \
	X(LE16, NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 16)                             \
	X(LE32, NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 32)                             \
	X(LE64, NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 64)                             \
	X(BE16, NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 16)                             \
	X(BE32, NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 32)                             \
	X(BE64, NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 64)                             \
	X(BSWAP16, NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 16)                        \
	X(BSWAP32, NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 32)                        \
	X(BSWAP64, NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 64)                        \
	X(JA, NYK_CLASS_JMP | NYK_JMP_JA, 0)                                             \
	X(JA32, NYK_CLASS_JMP32 | NYK_JMP_JA, 0)                                         \
	VM_JMP4(X, JEQ, NYK_JMP_JEQ)                                                     \
	VM_JMP4(X, JGT, NYK_JMP_JGT)                                                     \
	VM_JMP4(X, JGE, NYK_JMP_JGE)                                                     \
	VM_JMP4(X, JSET, NYK_JMP_JSET)                                                   \
	VM_JMP4(X, JNE, NYK_JMP_JNE)                                                     \
	VM_JMP4(X, JSGT, NYK_JMP_JSGT)                                                   \
	VM_JMP4(X, JSGE, NYK_JMP_JSGE)                                                   \
	VM_JMP4(X, JLT, NYK_JMP_JLT)                                                     \
	VM_JMP4(X, JLE, NYK_JMP_JLE)                                                     \
	VM_JMP4(X, JSLT, NYK_JMP_JSLT)                                                   \
	VM_JMP4(X, JSLE, NYK_JMP_JSLE)                                                   \
	X(CALL, NYK_CLASS_JMP | NYK_JMP_CALL, NYK_CALL_HELPER)                           \
	X(CALL_LOCAL, NYK_CLASS_JMP | NYK_JMP_CALL, NYK_CALL_LOCAL)                      \
	X(CALLX, NYK_CLASS_JMP | NYK_SRC_X | NYK_JMP_CALL, 0)                            \
	X(EXIT, NYK_CLASS_JMP | NYK_JMP_EXIT, 0)                                         \
	X(LDXW, NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_W, 0)                            \
	X(LDXH, NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_H, 0)                            \
	X(LDXB, NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_B, 0)                            \
	X(LDXDW, NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_DW, 0)                          \
	X(LDXSW, NYK_CLASS_LDX | NYK_MODE_MEMSX | NYK_SIZE_W, 0)                         \
	X(LDXSH, NYK_CLASS_LDX | NYK_MODE_MEMSX | NYK_SIZE_H, 0)                         \
	X(LDXSB, NYK_CLASS_LDX | NYK_MODE_MEMSX | NYK_SIZE_B, 0)                         \
	X(STW, NYK_CLASS_ST | NYK_MODE_MEM | NYK_SIZE_W, 0)                              \
	X(STH, NYK_CLASS_ST | NYK_MODE_MEM | NYK_SIZE_H, 0)                              \
	X(STB, NYK_CLASS_ST | NYK_MODE_MEM | NYK_SIZE_B, 0)                              \
	X(STDW, NYK_CLASS_ST | NYK_MODE_MEM | NYK_SIZE_DW, 0)                            \
	X(STXW, NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_W, 0)                            \
	X(STXH, NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_H, 0)                            \
	X(STXB, NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_B, 0)                            \
	X(STXDW, NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_DW, 0)                          \
	VM_ATOMIC2(X, AADD, NYK_ATOMIC_ADD)                                              \
	VM_ATOMIC2(X, AOR, NYK_ATOMIC_OR)                                                \
	VM_ATOMIC2(X, AAND, NYK_ATOMIC_AND)                                              \
	VM_ATOMIC2(X, AXOR, NYK_ATOMIC_XOR)                                              \
	VM_ATOMIC2(X, AFADD, NYK_ATOMIC_ADD | NYK_ATOMIC_FETCH)                          \
	VM_ATOMIC2(X, AFOR, NYK_ATOMIC_OR | NYK_ATOMIC_FETCH)                            \
	VM_ATOMIC2(X, AFAND, NYK_ATOMIC_AND | NYK_ATOMIC_FETCH)                          \
	VM_ATOMIC2(X, AFXOR, NYK_ATOMIC_XOR | NYK_ATOMIC_FETCH)                          \
	VM_ATOMIC2(X, AXCHG, NYK_ATOMIC_XCHG)                                            \
	VM_ATOMIC2(X, ACMPXCHG, NYK_ATOMIC_CMPXCHG)                                      \
	X(LDDW, NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, NYK_PSEUDO_NONE)              \
	X(LDABSW, NYK_CLASS_LD | NYK_MODE_ABS | NYK_SIZE_W, 0)                           \
	X(LDABSH, NYK_CLASS_LD | NYK_MODE_ABS | NYK_SIZE_H, 0)                           \
	X(LDABSB, NYK_CLASS_LD | NYK_MODE_ABS | NYK_SIZE_B, 0)                           \
	X(LDINDW, NYK_CLASS_LD | NYK_MODE_IND | NYK_SIZE_W, 0)                           \
	X(LDINDH, NYK_CLASS_LD | NYK_MODE_IND | NYK_SIZE_H, 0)                           \
	X(LDINDB, NYK_CLASS_LD | NYK_MODE_IND | NYK_SIZE_B, 0)

/*
 * Superinstructions: an add (the loop counter or pointer step) directly
 * followed by a 64-bit conditional jump is dispatched once. X(name, first,
 * second). Only the first slot's op changes; both slots keep their
 * operands, so a jump to the second slot, the trace (the slow flavour runs
 * a fused op as its first half) and the budget stay exact.
 */
#define VM_FUSE_JMP(X, A)                                                           \
	X(A##__JEQ_K, A, JEQ_K) X(A##__JEQ_X, A, JEQ_X)                             \
	X(A##__JNE_K, A, JNE_K) X(A##__JNE_X, A, JNE_X)                             \
	X(A##__JGT_K, A, JGT_K) X(A##__JGT_X, A, JGT_X)                             \
	X(A##__JGE_K, A, JGE_K) X(A##__JGE_X, A, JGE_X)                             \
	X(A##__JLT_K, A, JLT_K) X(A##__JLT_X, A, JLT_X)                             \
	X(A##__JLE_K, A, JLE_K) X(A##__JLE_X, A, JLE_X)                             \
	X(A##__JSGT_K, A, JSGT_K) X(A##__JSGT_X, A, JSGT_X)                         \
	X(A##__JSGE_K, A, JSGE_K) X(A##__JSGE_X, A, JSGE_X)                         \
	X(A##__JSLT_K, A, JSLT_K) X(A##__JSLT_X, A, JSLT_X)                         \
	X(A##__JSLE_K, A, JSLE_K) X(A##__JSLE_X, A, JSLE_X)                         \
	X(A##__JSET_K, A, JSET_K) X(A##__JSET_X, A, JSET_X)

#define VM_FUSED_OPS(X) VM_FUSE_JMP(X, ADD64_K) VM_FUSE_JMP(X, ADD64_X)

enum vm_op {
#define VM_ENUM(name, opcode, sel) VM_OP_##name,
	VM_OPS(VM_ENUM)
#undef VM_ENUM
	VM_OP_ROWS,                  /* operations above: one per row */
#define VM_ENUM_FUSED(name, first, second) VM_OP_##name,
	VM_OP_FUSED_BEFORE_ = VM_OP_ROWS - 1,
	VM_FUSED_OPS(VM_ENUM_FUSED)
#undef VM_ENUM_FUSED
	VM_OP_COUNT
};

_Static_assert(VM_OP_COUNT <= 256, "operation must fit a byte");

/*
 * The operation of a row, or -1 for rows the loader resolves or refuses
 * itself (kfunc calls, lddw with a map or BTF pseudo source). A pseudo-func
 * lddw maps to VM_OP_LDDW: the loader puts the address in imm.
 */
int vm_op_of_row(const struct nyk_insn_desc *d);

/* Name of an operation ("ADD64_K"), for tests and debugging. */
const char *vm_op_name(unsigned op);

/* The superinstruction of `first` followed by `second`, or -1. */
int vm_op_fused(unsigned first, unsigned second);

/*
 * The row operation a slot runs first: `op` itself, or a superinstruction's
 * first half. A table for every operation: no branch on the kind of op
 * (the JIT calls this for each instruction in each pass).
 */
extern const uint8_t vm_op_first_table[VM_OP_COUNT];
static inline unsigned vm_op_first(unsigned op)
{
	return op < VM_OP_COUNT ? vm_op_first_table[op] : op;
}

/* ---- decoded program ----------------------------------------------------- */

struct vm_insn {
	uint8_t op;
	uint8_t dst;
	uint8_t src;
	uint8_t pad;
	int32_t off;
	uint64_t imm;
};

_Static_assert(sizeof(struct vm_insn) == 16, "decoded instruction must stay 16 bytes");

struct vm_helper {
	uint32_t id;                 /* helper id, or BTF id of a kfunc */
	uint8_t kfunc;               /* 1: called by kfunc calls (src 2), 0: by helper calls */
	nyk_helper_fn fn;
	char *name;
};

struct vm_region {
	uintptr_t addr;
	size_t len;
	unsigned flags;
};

struct nyk_exec;
struct vm_jit;
typedef int (*vm_interp_fn)(struct nyk_exec *run, uint64_t *ret);

/* What compiled code returns, in two registers (rax:rdx on x86-64 System V): r0, and 0 or -errno. */
struct vm_jit_result {
	uint64_t r0;
	int64_t rc;
};

/* The entries of compiled code (see jit_internal.h): with a run, and without one (stores r0 in *ret, returns 0). */
typedef struct vm_jit_result (*vm_jit_entry_fn)(void *mem, size_t mem_len, struct nyk_exec *run);
typedef int (*vm_jit_direct_fn)(void *mem, size_t mem_len, uint64_t *ret);

/*
 * What the loader learns of a program in its one pass over it, so that
 * the JIT needs no pass of its own to find it out again.
 */
struct vm_facts {
	uint8_t *land;               /* land[pc] = 1: reached other than from pc - 1 (jump or call target, entry) */
	unsigned regs_used;          /* bit n: some slot names rn as dst or src */
	size_t helper_calls;         /* helper and kfunc calls */
	int local_calls;             /* bpf-to-bpf calls */
	int callx;
	int packet;                  /* legacy packet loads */
};

struct nyk_vm {
	/* The loaded program. */
	struct nyk_insn *insns;      /* copy of the program; pseudo-func lddw point into it */
	struct vm_insn *code;        /* decoded, one per slot (lddw's second slot unused) */
	uint8_t *entry;              /* entry[pc] = 1 where a function starts (callx targets) */
	size_t count;
	struct vm_facts facts;       /* of the loaded program */

	struct vm_helper *helpers;   /* indices stay stable: replacing keeps the slot */
	size_t nhelpers, helpers_cap;
	struct vm_region *regions;
	size_t nregions, regions_cap;

	unsigned flags;              /* NYK_VM_* */
	uint64_t budget;             /* instructions per checked run */
	void *user;
	nyk_lddw_resolver_fn resolve_lddw;   /* pseudo lddw sources, see nyk_vm_set_lddw_resolver */
	void *resolve_user;
	nyk_packet_fn packet_fn;     /* where legacy packet loads read, see nyk_vm_set_packet_fn */
	void *packet_user;
	uint64_t last_count;         /* written with a relaxed atomic store */
	struct vm_jit *jit;          /* compiled code (NYK_VM_JIT), or NULL (jit.c) */
	/*
	 * The compiled code when a run needs nothing but mem and mem_len
	 * (unchecked, no helpers, calls or packet loads, not counting):
	 * nyk_vm_exec calls it at once, with no run. NULL otherwise.
	 * vm_refresh_direct() keeps it in step with jit and flags.
	 */
	vm_jit_direct_fn direct;
};

/* Recompute vm->direct after vm->jit or vm->flags changed (vm.c). */
void vm_refresh_direct(struct nyk_vm *vm);

/* Index of helper `id` (kfunc 0) or kfunc `id` (kfunc 1) in vm->helpers, or -1. */
long vm_function_index(const struct nyk_vm *vm, uint64_t id, int kfunc);
/* Index of helper `id` in vm->helpers, or -1. */
long vm_helper_index(const struct nyk_vm *vm, uint64_t id);

/* Whether [addr, addr+size) lies in a registered region allowing `flags`. */
int vm_region_ok(const struct nyk_vm *vm, uint64_t addr, uint64_t size, unsigned flags);

/* ---- one run ------------------------------------------------------------- */

/* A saved caller frame of a bpf-to-bpf call. */
struct vm_frame {
	const struct vm_insn *ret;
	uint64_t saved[4];           /* r6..r9 */
};

/*
 * How a helper changed the run's course: ended it (nyk_exec_stop, a failed
 * nyk_exec_call), or made the calling frame return stop_value at once
 * (VM_STOP_RETURN: nyk_exec_tail_call from a subprogram).
 */
enum vm_stop { VM_STOP_NONE, VM_STOP_EXIT, VM_STOP_FAULT, VM_STOP_RETURN };

/*
 * One run in progress; lives on the C stack of nyk_vm_exec (or of
 * nyk_exec_call for a nested run of one function: `parent` is then the run
 * whose helper called it, `entry` the function's slot and `args` its r1-r5).
 */
struct nyk_exec {
	struct nyk_vm *vm;
	const struct vm_insn *code;
	uint8_t *mem;
	size_t mem_len;
	const uint8_t *pkt;          /* legacy packet loads read [pkt, pkt + pkt_len) */
	size_t pkt_len;
	vm_interp_fn interp;         /* the flavour of the loop running this run */
	struct nyk_exec *parent;     /* nested runs: the calling run; else NULL */
	size_t entry;                /* first slot executed */
	uint64_t args[5];            /* r1..r5 at entry (mem, mem_len, 0, 0, 0 for a whole run) */
	unsigned depth_base;         /* frames in use by the outer runs */
	unsigned depth;              /* this run's call depth, stored before each helper call */
	int stop;                    /* enum vm_stop, set by helpers */
	int stop_code;               /* VM_STOP_FAULT: the error code */
	uint64_t stop_value;         /* VM_STOP_EXIT, VM_STOP_RETURN: r0 */
	uintptr_t stack_base;        /* the whole stack area of the run */
	uintptr_t stack_lo;          /* bottom of the current frame (live: [stack_lo, stack_hi)) */
	uintptr_t stack_hi;
	int checked;                 /* bounds checks and budget (slow flavour reads it) */
	uint64_t budget;             /* in: instructions allowed; out: instructions left */
	nyk_trace_fn trace;
	void *trace_user;
	struct nyk_error *err;
	/* Read and written by compiled code at fixed offsets (jit_x86_64.c). */
	uint64_t mem_lim[4];         /* checked: mem_len - size + 1 for size 1, 2, 4, 8 (0 when mem_len < size) */
	uintptr_t depth_limit;       /* a bpf-to-bpf call from a frame whose r10 is at or below this faults */
	uintptr_t saved_sp;          /* machine stack pointer to unwind to after a fault */
};

/* What checked compiled code compares addresses with: mem_len - size + 1 per access size. */
static inline void vm_set_mem_limits(struct nyk_exec *run, size_t mem_len)
{
	run->mem_lim[0] = mem_len;
	run->mem_lim[1] = mem_len >= 2 ? mem_len - 1 : 0;
	run->mem_lim[2] = mem_len >= 4 ? mem_len - 3 : 0;
	run->mem_lim[3] = mem_len >= 8 ? mem_len - 7 : 0;
}

/* The flavours of the execution loop (interp.c). */
int vm_interp_fast(struct nyk_exec *run, uint64_t *ret);     /* unchecked */
int vm_interp_checked(struct nyk_exec *run, uint64_t *ret);  /* bounds checks, budget */
int vm_interp_slow(struct nyk_exec *run, uint64_t *ret);     /* counts, traces; run->checked */

/* Set up `run` for a whole run of the loaded program (r1 = mem, r2 = mem_len). */
void vm_exec_init(struct nyk_exec *run, struct nyk_vm *vm, vm_interp_fn fn, int checked, void *mem, size_t mem_len,
		  struct nyk_error *err);

/*
 * Run the loaded program with one flavour of the loop: sets up `run` the
 * way nyk_vm_exec does. `count` (may be NULL) receives the instructions
 * executed when the flavour counts them.
 */
int vm_exec_with(struct nyk_vm *vm, vm_interp_fn fn, int checked, void *mem, size_t mem_len, uint64_t *ret,
		 nyk_trace_fn trace, void *trace_user, uint64_t *count, struct nyk_error *err);

/* ---- faults (cold; fill run->err, return the code) ----------------------- */

enum vm_access { VM_LOAD, VM_STORE, VM_ATOMIC };

int vm_fault_access(struct nyk_exec *run, const struct vm_insn *ip, uint64_t addr, unsigned size,
		    enum vm_access kind);
int vm_fault_misaligned(struct nyk_exec *run, const struct vm_insn *ip, uint64_t addr, unsigned size);
int vm_fault_depth(struct nyk_exec *run, const struct vm_insn *ip);
int vm_fault_callx(struct nyk_exec *run, const struct vm_insn *ip, uint64_t target);
int vm_fault_budget(struct nyk_exec *run, const struct vm_insn *ip);
int vm_fault_internal(struct nyk_exec *run, const struct vm_insn *ip);

/* Report one traced instruction (interp.c). */
struct vm_trace {
	size_t pc;                   /* SIZE_MAX: nothing pending */
	unsigned depth;
	uint64_t regs[NYK_REG_COUNT];
};
void vm_trace_step(struct nyk_exec *run, struct vm_trace *t, const uint64_t *regs, size_t next_pc,
		   unsigned depth);

#endif
