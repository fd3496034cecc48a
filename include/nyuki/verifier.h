/*
 * nyuki/verifier.h - proving a program safe before it runs.
 *
 * The verifier is an abstract interpreter over the program's control-flow
 * graph (docs/verifier.md). Per register it tracks a kind (scalar, context,
 * stack, packet, packet end, packet meta, map, map value, memory of known
 * size, function) and a value: signed and unsigned 64- and 32-bit
 * intervals combined with known bits, which for pointers is the offset.
 * Packet pointers carry the range a comparison with data_end proved;
 * stack bytes are tracked one by one, spilled registers slot by slot.
 * Loops reach a fixpoint with widening at their heads and narrowing after;
 * a loop is accepted when a register moves by a bounded-away-from-zero
 * step on every path around it and stays inside an interval there, so
 * the number of iterations is finite. Cost grows with program size times
 * loop nesting, never with the number of paths.
 *
 *   struct nyk_verify_opts o = { .size = sizeof o, .type = nyk_progtype_by_name("xdp") };
 *   struct nyk_verify_result r = { .size = sizeof r };
 *   if (nyk_verify(insns, count, &o, &r, &err) < 0)
 *       printf("insn %ld: %s\n%s", r.insn, r.reason, r.explanation);
 *
 * nyk_program_verify does the same for a loaded object's program, taking
 * its type, maps, function names and BTF line info from the object.
 */
#ifndef NYUKI_VERIFIER_H
#define NYUKI_VERIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"
#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- helper prototypes ------------------------------------------------------ */

/* What a helper argument must be (the kernel's enum bpf_arg_type, simplified). */
enum nyk_arg_type {
	NYK_ARG_NONE = 0,          /* no more arguments */
	NYK_ARG_ANYTHING,          /* any initialised value; a pointer only in privileged mode */
	NYK_ARG_SCALAR,            /* an initialised scalar */
	NYK_ARG_CONST_MAP_PTR,     /* a map (lddw of a map) */
	NYK_ARG_MAP_KEY,           /* readable memory of the map's key_size (stack, map value, packet) */
	NYK_ARG_MAP_VALUE,         /* readable memory of the map's value_size */
	NYK_ARG_MEM,               /* readable memory of the size in the next argument */
	NYK_ARG_MEM_OR_NULL,       /* the same, or 0 */
	NYK_ARG_UNINIT_MEM,        /* writable memory of the size in the next argument; initialised after */
	NYK_ARG_CONST_SIZE,        /* size of the previous memory argument: bounded, > 0 */
	NYK_ARG_CONST_SIZE_OR_ZERO,/* the same, may be 0 */
	NYK_ARG_CTX,               /* the context pointer, unmodified */
	NYK_ARG_FUNC,              /* a callback function (lddw of a function) */
	NYK_ARG_STACK_OR_NULL,     /* a stack pointer or 0 (bpf_loop's callback context) */
	NYK_ARG_CONST_ALLOC_SIZE,  /* a constant size for a memory the helper allocates (ringbuf_reserve) */
	NYK_ARG_ALLOC_MEM,         /* memory a reserving helper returned, released by this call */
	NYK_ARG_SPIN_LOCK,         /* pointer to a struct bpf_spin_lock inside a map value */
	NYK_ARG_CONST_STR,         /* a NUL-terminated string in a read-only map value */
	NYK_ARG_PTR_TO_LONG,       /* writable 8 bytes (strtol's result) */
	NYK_ARG_TYPE_COUNT
};

/* What a helper returns. */
enum nyk_ret_type {
	NYK_RET_INTEGER = 0,       /* a scalar */
	NYK_RET_VOID,              /* r0 is not initialised after the call */
	NYK_RET_MAP_VALUE_OR_NULL, /* a value of the map in argument 1, or NULL */
	NYK_RET_ALLOC_MEM_OR_NULL, /* memory of the constant size in argument 2, or NULL; must be released */
	NYK_RET_MEM_OR_NULL,       /* memory of unknown origin (per-CPU pointer), or NULL; scalar in unprivileged mode */
};

/* Prototype flags. */
enum {
	NYK_PROTO_PKT_CHANGED = 1u << 0,   /* the helper may move the packet: packet pointers become invalid */
	NYK_PROTO_CALLBACK = 1u << 1,      /* argument `cb_arg` is a callback run by the helper (bpf_loop, for_each) */
	NYK_PROTO_TAIL_CALL = 1u << 2,     /* bpf_tail_call */
	NYK_PROTO_GPL_ONLY = 1u << 3,
};

struct nyk_helper_proto {
	uint32_t id;
	const char *name;                  /* "bpf_map_lookup_elem" */
	uint8_t ret;                       /* enum nyk_ret_type */
	uint8_t args[5];                   /* enum nyk_arg_type; NYK_ARG_NONE after the last */
	uint32_t flags;                    /* NYK_PROTO_* */
	/*
	 * Callback helpers: the argument holding the callback (0-based), the
	 * number of arguments it receives, and how they are typed: bit i of
	 * cb_ctx_args set means callback argument i gets the helper's argument
	 * `cb_ctx_from` (bpf_loop: r2 = its callback context); the others are
	 * scalars, map keys and values per helper (see docs/verifier.md).
	 */
	uint8_t cb_arg, cb_nargs;
	int64_t cb_ret_min, cb_ret_max;    /* allowed callback return values */
};

/* nyuki's prototype of kernel helper `id`, or NULL when it has none. */
const struct nyk_helper_proto *nyk_helper_proto(uint32_t id);

/* ---- verifying -------------------------------------------------------------- */

enum {
	/*
	 * Privileged mode (CAP_BPF + CAP_PERFMON in the kernel): pointers may
	 * be stored in maps and the packet, compared, returned in r0 and passed
	 * as NYK_ARG_ANYTHING. Without it such leaks are refused.
	 */
	NYK_VERIFY_PRIVILEGED = 1u << 0,
	/* Calls of helpers nyuki cannot run in user space are allowed (checking a program for the kernel). */
	NYK_VERIFY_KERNEL_HELPERS = 1u << 1,
};

/* Where the verifier's text goes: the invariants log and the Graphviz CFG. */
enum { NYK_VERIFY_OUT_LOG = 1, NYK_VERIFY_OUT_DOT = 2 };
typedef void (*nyk_verify_out_fn)(void *user, int what, const char *text);

struct nyk_verify_opts {
	size_t size;                       /* sizeof(struct nyk_verify_opts) */
	/* Program type: context layout, helpers, return values. NULL: "raw" (bytes context, base helpers). */
	const struct nyk_progtype *type;
	unsigned flags;                    /* NYK_VERIFY_* */
	size_t max_insns;                  /* largest program accepted; 0 = 1,000,000 (the kernel's limit) */
	uint32_t stack_size;               /* stack bytes all frames together may use; 0 = 512 */
	/* Maps: lddw src 1/2 (imm = fd) and src 5/6 (imm = index) both name maps[imm]. */
	const struct nyk_map_def *const *maps;
	size_t nmaps;
	/* Prototypes of an embedder's helpers (consulted before nyuki's; may be NULL). */
	const struct nyk_helper_proto *(*helper_proto)(void *user, uint32_t id);
	/* Source positions and function names for messages (may be NULL). */
	int (*line_info)(void *user, size_t insn, struct nyk_line_info *li);
	const char *(*func_name)(void *user, size_t insn);
	void *user;
	/* Output: 0 none, 1 the state at each block entry, 2 at each instruction. */
	int log_level;
	int dot;                           /* write the CFG with the state per block through `out` */
	nyk_verify_out_fn out;
	void *out_user;
	/*
	 * Bytes of the context for types whose context is bytes
	 * (NYK_PT_CTX_BYTES); 0: the type's default. For user-space bytes
	 * types (the "memory" type) r2 at entry is then this length.
	 */
	size_t ctx_size;
};

struct nyk_verify_result {
	size_t size;                       /* sizeof(struct nyk_verify_result) */
	/* Statistics. */
	size_t insns;                      /* instructions in the program */
	size_t insns_processed;            /* instruction transfers the fixpoint took */
	size_t states;                     /* abstract states stored at block entries */
	size_t peak_bytes;                 /* peak memory of the analysis */
	uint32_t stack_depth;              /* largest stack use over all call chains, bytes */
	uint32_t loops;                    /* loops proven to terminate */
	/* On rejection: the instruction, the reason in words, and what helps to see why. */
	long insn;                         /* -1 when the program as a whole is refused */
	char reason[256];                  /* "packet access off=14 size=2 is beyond the checked range [0,14)" */
	char explanation[1024];            /* lines: the registers involved, their values and where they came from */
};

/*
 * Verify `count` instructions (the linked program: subprograms appended).
 * 0: safe. -EACCES: unsafe (res->insn, res->reason, res->explanation; err
 * says "insn N: reason"); -E2BIG: too large; -EINVAL: malformed (bad
 * opcode, jump out of the program), -ENOMEM.
 */
int nyk_verify(const struct nyk_insn *insns, size_t count, const struct nyk_verify_opts *opts,
	       struct nyk_verify_result *res, struct nyk_error *err);

/*
 * Verify a loaded object's program: type, maps, function names and line
 * info come from the object (opts may be NULL; its type, maps, line_info,
 * func_name and user fields are ignored). err names the program.
 */
int nyk_program_verify(struct nyk_program *prog, const struct nyk_verify_opts *opts,
		       struct nyk_verify_result *res, struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
