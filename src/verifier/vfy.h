/*
 * vfy.h - the verifier's pieces and how they fit.
 *
 *   scalar.c    the value domain: intervals (signed/unsigned, 64/32-bit)
 *               plus known bits (tnum); ALU transfer, branch refinement,
 *               join, widening, narrowing, printing        (vv_*)
 *   state.c     registers, stack frames and whole states: init, copy,
 *               join/widen/narrow/leq of states, pack/unpack for storage,
 *               printing                                    (vfy_state_*)
 *   transfer.c  one instruction on a state: ALU on scalars and pointers,
 *               loads/stores (context, stack, packet, map value, memory),
 *               conditional jumps (null checks, packet ranges), lddw,
 *               helper calls against prototypes           (vfy_transfer)
 *   protos.c    the helper prototype table (nyk_helper_proto)
 *   engine.c    the driver: CFG, fixpoint (weak topological order,
 *               widening/narrowing), bpf-to-bpf calls and callbacks,
 *               loop termination, exit checks, messages, log and dot,
 *               nyk_verify / nyk_program_verify
 *
 * Internal names start with vv_ (values) or vfy_ (everything else).
 */
#ifndef NYUKI_VFY_H
#define NYUKI_VFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nyuki/isa.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"

/* ---- values (scalar.c) ------------------------------------------------------ */

/*
 * An abstract 64-bit value: every concrete value x it stands for has
 * umin <= x <= umax, smin <= (int64)x <= smax, u32min <= (uint32)x <= u32max,
 * s32min <= (int32)x <= s32max and (x & ~mask) == val (tnum: bits in mask
 * are unknown; val & mask == 0). All constructors and operations leave the
 * parts consistent with each other (vv_sync), as the kernel's
 * reg_bounds_sync does. A value is never empty: operations that could make
 * it empty (branch refinement) say so by their return value.
 */
struct vfy_value {
	uint64_t umin, umax;
	int64_t smin, smax;
	uint32_t u32min, u32max;
	int32_t s32min, s32max;
	uint64_t val, mask;
};

/* Thresholds for widening: sorted, unique constants of the program (and their +-1). */
struct vfy_thresholds {
	const uint64_t *u;   /* ascending as unsigned */
	size_t nu;
	const int64_t *s;    /* ascending as signed */
	size_t ns;
};

void vv_const(struct vfy_value *v, uint64_t c);
void vv_unknown(struct vfy_value *v);
/* Any value of `size` bytes (1, 2, 4, 8), zero-extended, or sign-extended when `sign`. */
void vv_unknown_size(struct vfy_value *v, unsigned size, bool sign);
/* [lo, hi] unsigned; [lo, hi] signed. */
void vv_urange(struct vfy_value *v, uint64_t lo, uint64_t hi);
void vv_srange(struct vfy_value *v, int64_t lo, int64_t hi);
bool vv_is_const(const struct vfy_value *v);   /* mask == 0 (then val is the value) */
/* Tighten every part from the others; false when the value became empty. */
bool vv_sync(struct vfy_value *v);

/*
 * ALU: dst = dst OP src for the ALU or ALU64 instruction `insn` (class,
 * operation, off for sdiv/smod/movsx, imm for byte swaps). `src` is the
 * abstract value of the source operand (the immediate, sign-extended to
 * 64 bits as the ISA says, or the source register). 32-bit operations
 * zero-extend their result. Division and modulo follow the ISA (x/0 = 0,
 * x%0 = x, INT_MIN/-1 = INT_MIN).
 */
void vv_alu(struct vfy_value *dst, const struct nyk_insn *insn, const struct vfy_value *src);

/*
 * Conditional jump operation `jop` (the opcode's operation bits,
 * NYK_JMP_JEQ .. NYK_JMP_JSLE of nyuki/isa.h, not JA/CALL/EXIT) on a and b, compared in 32
 * bits when `is32`. Refines a and b to what holds when the condition is
 * `taken` (true) or not; returns false when that cannot happen.
 */
bool vv_branch(struct vfy_value *a, struct vfy_value *b, unsigned jop, bool is32, bool taken);

/* a := a joined with b (the smallest value containing both). */
void vv_join(struct vfy_value *a, const struct vfy_value *b);
/* a := a widened by b: bounds that grew jump to the next threshold outside them (or to the type's limit). */
void vv_widen(struct vfy_value *a, const struct vfy_value *b, const struct vfy_thresholds *t);
/* a := a narrowed by b: bounds of a that are the type's limits take b's. */
void vv_narrow(struct vfy_value *a, const struct vfy_value *b);
/* Whether every value of a is a value of b. */
bool vv_leq(const struct vfy_value *a, const struct vfy_value *b);
bool vv_eq(const struct vfy_value *a, const struct vfy_value *b);
/*
 * Short text: "0x2a" or "42" for constants, else the parts that say
 * something, e.g. "[0,255]" "s[-8,7]" "var=0xff" ("u32[...]" when the
 * 32-bit bounds add something). Returns buf.
 */
const char *vv_print(const struct vfy_value *v, char *buf, size_t size);

/* ---- registers and states (state.c) ----------------------------------------- */

enum vfy_kind {
	VFY_NOT_INIT = 0,
	VFY_SCALAR,
	VFY_CTX,         /* the context; v = offset */
	VFY_STACK,       /* into frame `frame`; v = offset from that frame's r10 (negative) */
	VFY_PKT,         /* data + v; `range`: bytes from the pointer itself known to be in the packet */
	VFY_PKT_END,     /* data_end */
	VFY_PKT_META,    /* data_meta + v; range as for PKT */
	VFY_MAP_PTR,     /* the map `map` itself */
	VFY_MAP_VALUE,   /* a value of map `map`; v = offset into it */
	VFY_MEM,         /* memory of `size` bytes; v = offset */
	VFY_FUNC,        /* a function: v = its first instruction (constant) */
	VFY_KIND_COUNT
};

/* Register flags. */
enum {
	VFY_F_NULLABLE = 1u << 0,   /* may be NULL (map_value_or_null, mem_or_null) until a null check */
	VFY_F_RDONLY = 1u << 1,     /* memory the program may only read (.rodata, read-only maps) */
	VFY_F_REF = 1u << 2,        /* memory that must be released (`ref` names the reference) */
};

#define VFY_MAX_FRAMES 8
#define VFY_STACK_BYTES 512
#define VFY_SLOTS (VFY_STACK_BYTES / 8)
#define VFY_MAX_REFS 16
#define VFY_NO_PC UINT32_MAX

struct vfy_reg {
	uint8_t kind;        /* enum vfy_kind */
	uint8_t flags;       /* VFY_F_* */
	uint8_t frame;       /* VFY_STACK: the frame */
	uint8_t spare;
	uint32_t map;        /* VFY_MAP_PTR, VFY_MAP_VALUE: index into the verifier's maps */
	uint32_t id;         /* nullable pointers: copies share the id, so one null check serves all;
	                        PKT: pointers with the same variable part share the id */
	uint32_t ref;        /* VFY_F_REF: reference id (0: none) */
	uint32_t size;       /* VFY_MEM: bytes */
	int32_t range;       /* VFY_PKT, VFY_PKT_META: [ptr, ptr + range) is in the packet on every path */
	uint32_t def_pc;     /* the instruction that last wrote it (VFY_NO_PC: entry or several paths) */
	struct vfy_value v;  /* scalar: the value; pointer: the offset */
};

/*
 * One frame: its registers live in the state while it is the innermost
 * frame; callers' r6..r9 are kept in `saved`.
 */
struct vfy_frame {
	uint32_t callsite;            /* pc of the call instruction that made it (frame 0: VFY_NO_PC) */
	uint32_t func;                /* first instruction of the function */
	uint32_t depth;               /* stack bytes it uses so far (deepest access, rounded to 8) */
	uint64_t init[VFY_STACK_BYTES / 64];   /* bit i: byte r10-512+i is initialised */
	uint64_t spilled;             /* bit s: slot s (bytes 8s..8s+7 from r10-512) holds a spilled register */
	struct vfy_reg spill[VFY_SLOTS];
	uint8_t spill_size[VFY_SLOTS];         /* 1, 2, 4, 8: size of the store that spilled it (at the slot's start) */
	struct vfy_reg saved[4];      /* the caller's r6..r9 while this frame runs (frame 0: unused) */
};

struct vfy_state {
	struct vfy_reg regs[NYK_REG_COUNT];   /* the innermost frame's r0..r10 */
	uint32_t nframes;                     /* >= 1 */
	uint32_t nrefs;
	uint32_t refs[VFY_MAX_REFS];          /* live references (ringbuf reservations, ...) */
	uint32_t lock;                        /* nonzero: a spin lock is held (its map value's id) */
	struct vfy_frame frames[VFY_MAX_FRAMES];
};

/* The entry state: r1 = ctx, r10 = stack frame 0, everything else uninitialised. */
void vfy_state_init(struct vfy_state *st);
/* `a` now stands for both a and b. States with different frame counts are never joined. */
void vfy_state_join(struct vfy_state *a, const struct vfy_state *b);
void vfy_state_widen(struct vfy_state *a, const struct vfy_state *b, const struct vfy_thresholds *t);
void vfy_state_narrow(struct vfy_state *a, const struct vfy_state *b);
/* Whether a is contained in b (nothing new to analyse). */
bool vfy_state_leq(const struct vfy_state *a, const struct vfy_state *b);
/* Compact storage: bytes needed, and pack into / unpack from them. */
size_t vfy_state_packed_size(const struct vfy_state *st);
void vfy_state_pack(const struct vfy_state *st, void *buf);
void vfy_state_unpack(struct vfy_state *st, const void *buf);
/* At least vfy_state_packed_size(st), without encoding; pack into buf (that many bytes), returning the size used. */
size_t vfy_state_packed_bound(const struct vfy_state *st);
size_t vfy_state_pack_n(const struct vfy_state *st, void *buf);
/* Copy what unpacking writes (header, registers, live frames, spilled slots only): dst then equals unpack(pack(src)). */
void vfy_state_copy_live(struct vfy_state *dst, const struct vfy_state *src);
/* "r1=ctx(off=0) r2=pkt(off=14,r=14) r3=scalar([0,255]) fp-8=scalar(7)": registers and stack of the innermost frame. */
size_t vfy_state_print(const struct vfy_state *st, char *buf, size_t size);
/* One register: "pkt(off=14,r=14)", "map_value_or_null(map=counts,off=0,id=3)", "scalar([0,255])". */
const char *vfy_reg_print(const struct vfy_reg *r, char *buf, size_t size);
/* Kind names for messages: "scalar", "ctx", "fp" (stack), "pkt", "pkt_end", "pkt_meta", "map_ptr", ... */
const char *vfy_kind_name(unsigned kind, unsigned flags);

/*
 * Copy a state's live part: the header, the registers and frames
 * [0, nframes). A whole struct copy moves about 54 KiB; frames past
 * nframes are never read (push_frame clears the frame it adds).
 */
static inline void vfy_state_copy(struct vfy_state *dst, const struct vfy_state *src)
{
	memcpy(dst, src, offsetof(struct vfy_state, frames) + src->nframes * sizeof(src->frames[0]));
}

/* Set a register to an unknown scalar / a constant / not initialised. */
void vfy_reg_scalar(struct vfy_reg *r, uint32_t pc);
void vfy_reg_const(struct vfy_reg *r, uint64_t c, uint32_t pc);
void vfy_reg_uninit(struct vfy_reg *r);
static inline bool vfy_is_ptr(const struct vfy_reg *r)
{
	return r->kind > VFY_SCALAR;
}

/* ---- the verifier's environment (engine.c owns it) ---------------------------- */

struct vfy_env {
	const struct nyk_insn *insns;
	size_t count;
	const struct nyk_verify_opts *opts;
	const struct nyk_progtype *type;           /* never NULL: opts->type or the "raw" type */
	const struct nyk_progtype_desc *desc;
	const struct nyk_map_def *const *maps;
	size_t nmaps;
	bool privileged;
	struct vfy_thresholds thresholds;
	uint32_t next_id;                          /* ids for nullable pointers, packet bases, references */
	/* The rejection (vfy_reject fills it; the engine formats the message). */
	long reject_pc;
	char reason[256];
	int blame[3];                              /* registers to explain (-1: none) */
	/* A callback the last helper call asks the engine to analyse (vfy_transfer returns VFY_CALLBACK). */
	struct {
		uint32_t func;                         /* first instruction of the callback */
		struct vfy_reg args[5];                /* its r1..r5 */
		int64_t ret_min, ret_max;
	} callback;
	struct nyk_verify_result *res;
};

/* A fresh id (never 0). */
static inline uint32_t vfy_new_id(struct vfy_env *env)
{
	return ++env->next_id;
}

/*
 * Refuse the program at `pc` with a reason in words ("R2 is a scalar; the
 * helper wants a map key"); returns -EACCES. The first call wins. Name up
 * to three registers whose value and origin help with vfy_blame.
 */
int vfy_reject(struct vfy_env *env, size_t pc, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void vfy_blame(struct vfy_env *env, int regno);

/* ---- one instruction (transfer.c) ------------------------------------------- */

/* Which successors vfy_transfer found possible. */
enum { VFY_FALL = 1u << 0, VFY_TAKEN = 1u << 1 };
/* vfy_transfer's return values besides 0 and -EACCES. */
enum { VFY_CALLBACK = 1 };

/*
 * Apply instruction `pc` to `st`. Not called for: exit, ja/gotol, a
 * bpf-to-bpf call (src 1) and callx - the engine handles those. On return
 * 0, *live says which successors are possible: VFY_FALL (st holds the
 * state after the instruction) and for conditional jumps VFY_TAKEN
 * (`taken` holds the state on the jump; st the fall-through). Returns
 * VFY_CALLBACK after a helper with a callback (bpf_loop, for_each_map_elem):
 * st is the state after the call, env->callback says what to analyse; the
 * engine analyses the callback as if called at this instruction any number
 * of times (and checks its return value). -EACCES after vfy_reject.
 */
int vfy_transfer(struct vfy_env *env, size_t pc, struct vfy_state *st, struct vfy_state *taken, unsigned *live);

/*
 * Checks at an exit from the program (frame 0): r0 initialised, a scalar
 * (or a pointer in privileged mode) in the type's return range, no live
 * references, no lock held. -EACCES after vfy_reject.
 */
int vfy_check_exit(struct vfy_env *env, size_t pc, const struct vfy_state *st);

/* The prototype of helper `id` for this run (the embedder's, then nyuki's), or NULL. */
const struct nyk_helper_proto *vfy_helper_proto(const struct vfy_env *env, uint32_t id);

#endif
