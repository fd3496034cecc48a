/*
 * jit_x86_64.c - the x86-64 back end: the decoded program (vm->code) in,
 * System V machine code out.
 *
 * Registers. eBPF registers live in x86 registers for the whole run,
 * chosen so a helper call needs no moves (r1..r5 are the first five
 * argument registers, r0 the return register) and r6..r9 survive it:
 *
 *   r0 rax   r1 rdi   r2 rsi   r3 rdx   r4 rcx   r5 r8
 *   r6 rbx   r7 r13   r8 r14   r9 r15   r10 rbp (frame pointer)
 *   r12  the run (struct nyk_exec *), when the program needs it
 *   r9   the instruction budget (checked mode), the 6th helper argument;
 *        in code entered directly (no run), the pointer r0 is stored to
 *   r10, r11  scratch
 *
 * Code layout:
 *
 *   prologue   save the callee-saved registers the program uses, reserve
 *              the eBPF stack (8 frames of 512 bytes, rbp = top of frame 0,
 *              16-byte aligned), zero r0, r3..r9; `call body` when the
 *              program has bpf-to-bpf calls (then every exit is `ret`)
 *   body       one piece of code per eBPF instruction, in order; offsets[pc]
 *   epilogue   r0 in rax, 0 in rdx (rc); restore; ret
 *   stubs      out-of-line paths shared by every instruction: memory checks
 *              that need the region list, faults, callx of a helper id, the
 *              legacy packet loads' "end with r0 = 0", zeroing a frame
 *
 * A bpf-to-bpf call is a plain call: the caller pushes the r6..r9 the
 * callee (or a function it calls) may write, moves r10 down 512 bytes
 * (lea, no push) and calls; `exit` is `ret` (compute_saves). Depth is checked on
 * r10 against run->depth_limit, in both modes (raised by run->depth_base
 * frames in a tail call's nested run). A helper that made a tail call from
 * a subprogram (run->stop == VM_STOP_RETURN) makes the current function
 * return stop_value, as its `exit` would.
 *
 * Checked mode: every load, store and atomic whose address is not a
 * constant offset inside the current frame computes its address in r11,
 * compares it inline with mem (one subtraction and one compare against a
 * precomputed limit per access size) and otherwise calls a stub that tests
 * the live stack frames and, through C, the registered regions; a failure
 * unwinds to the epilogue with the interpreter's error. The budget is
 * counted per basic block (one `sub r9, n` at each block's first
 * instruction), so exhaustion names the same instruction the interpreter
 * names; the block it happens in does not start.
 *
 * Jumps: one pass emits the program into a scratch buffer, every forward
 * jump to an instruction in its long form, and records where each jump
 * and call goes. A second, linear pass copies the code into executable
 * memory, shortening each forward jump whose distance fits a byte (code
 * only shrinks while copying, so it still fits), and moves the labels and
 * patches every displacement. No table is sized by anything but the
 * program.
 */
#include "vm/jit_internal.h"

#if VM_JIT_X86_64

#include <emmintrin.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maps/map_direct.h"
#include "nyuki/helpers.h"

#if defined(__linux__)
#include <sys/random.h>
#endif

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static const uint8_t xreg[NYK_REG_COUNT] = { RAX, RDI, RSI, RDX, RCX, R8, RBX, R13, R14, R15, RBP };

#define T1 R10
#define T2 R11
#define BUDGET R9
#define CTX R12

/* Condition codes. */
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7, CC_S = 8, CC_NS = 9,
       CC_L = 12, CC_GE = 13, CC_LE = 14, CC_G = 15 };

/* Labels past the last instruction (label count is the end of the body). */
enum {
	LAB_EPILOGUE_OK,     /* rdx = 0, then the epilogue */
	LAB_EPILOGUE,        /* restore and return rax:rdx */
	LAB_UNWIND,          /* rax = error code: reset the stack, epilogue */
	LAB_PKT_ZERO,        /* legacy packet load out of bounds: r0 = 0, end */
	LAB_STOPPED,         /* a helper ended the run (nyk_exec_stop/fail, failed nyk_exec_call); [rsp] = site */
	LAB_RETURN,          /* calls: a tail call replaced the current function: return its r0 (VM_STOP_RETURN) */
	LAB_FAULT,           /* r10 = event, r11 = value: vm_jit_fault */
	LAB_BUDGET,          /* budget exhausted at the block that called */
	LAB_DEPTH,           /* call depth exceeded */
	LAB_MISALIGNED4,
	LAB_MISALIGNED8,
	LAB_CHECK,           /* r10 = size | access << 8, r11 = address: stack, regions */
	LAB_CHECK_FIRST,     /* one entry per (access, size): 3 * 4 */
	LAB_CALLX_HELPER = LAB_CHECK_FIRST + 12,
	LAB_ZERO_FRAME,
	LAB_BODY,            /* the body, entered by call when the program has calls */
	LAB_COUNT
};

#define MAX_INSN_BYTES 192   /* bound of one instruction's code (checked while emitting) */
#define MAX_STUB_BYTES 4096  /* bound of prologue, epilogue and stubs */

struct fixup {
	uint32_t at;     /* offset of the displacement (of the jump, for `relax`) */
	uint32_t label;
	int8_t size;     /* 1 or 4; relax: the long jump's length */
	int8_t cc;       /* relax: condition code, -1 for jmp */
};

struct jx {
	uint8_t *p;                 /* write cursor */
	uint8_t *buf;               /* the scratch buffer */
	uint32_t *lab;              /* label offsets in buf */
	uint8_t placed[LAB_COUNT];  /* special labels placed (instructions: target <= pc) */
	struct fixup *fix;          /* displacements to patch */
	size_t nfix, capfix;
	struct fixup *relax;        /* forward jumps to instructions, emitted long */
	size_t nrelax, caprelax;
	int oom, overflow;

	const struct nyk_vm *vm;
	const struct vm_insn *code;
	size_t count;
	size_t pc;                  /* instruction being compiled */
	int checked, blind, bmi2;
	int calls;                  /* bpf-to-bpf calls or callx: body entered by call */
	int area;                   /* the eBPF stack exists (rbp valid) */
	int ctx;                    /* r12 holds the run */
	int direct;                 /* no run: entered as vm_jit_direct_fn (stores r0 through its 3rd argument) */
	unsigned retp;              /* direct: where that argument stays (rdx, or r9 when r3 needs rdx) */
	int uses_fp;                /* some instruction reads r10 */
	int helpers, packet;        /* calls helpers; legacy packet loads */
	unsigned regs_used;         /* bit n: eBPF rn appears */
	unsigned pushed;            /* callee-saved x86 registers the prologue pushed (bit per x86 reg) */
	uint32_t frame_size;        /* bytes reserved below the pushes */
	uint32_t area_lo;           /* offset of frame 7's bottom from rsp */
	const uint8_t *block_len;   /* checked: block lengths at leaders */
	uint8_t *target;            /* target[pc]: some jump, call or function address lands on pc */
	const uint64_t *callx_table;
	uint64_t rng;
	nyk_helper_fn lookup_fn;    /* bpf_map_lookup_elem as nyuki implements it, when lookups may be inlined */
	size_t helper_calls;        /* helper and kfunc calls */
	size_t inlined;             /* of those, array lookups compiled inline (target[pc] & TARGET_INLINE) */
	int zf_reg, zf_w;           /* ZF says whether x86 register zf_reg (-1: none) is 0, set by a zf_w-bit op */
	int skip_next;              /* emit_jcond compiled the next slot (a `ja`) into its branch */
};

/*
 * target[pc] bits: a jump lands there (1, entry points included); an
 * inline array lookup (2); at a function's first instruction, bits 4..7:
 * which of r6..r9 the function, or one it calls, may write (what its
 * call sites push; compute_saves).
 */
#define TARGET_INLINE 2
#define TARGET_SAVES_SHIFT 4
#define SAVES_ALL 0xfu

/* ---- bytes --------------------------------------------------------------- */

#if defined(__GNUC__) || defined(__clang__)
#define JX_INLINE static inline __attribute__((always_inline))
#else
#define JX_INLINE static inline
#endif

JX_INLINE size_t here(const struct jx *j)
{
	return (size_t)(j->p - j->buf);
}

JX_INLINE void e8(struct jx *j, unsigned b)
{
	*j->p++ = (uint8_t)b;
}

JX_INLINE void e16(struct jx *j, unsigned v)
{
	uint16_t x = (uint16_t)v;
	memcpy(j->p, &x, 2);
	j->p += 2;
}

JX_INLINE void e32(struct jx *j, uint32_t v)
{
	memcpy(j->p, &v, 4);
	j->p += 4;
}

JX_INLINE int fits8(int64_t v) { return v >= -128 && v <= 127; }
JX_INLINE int fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* REX prefix; `force` for byte access to spl/bpl/sil/dil. */
JX_INLINE void rex(struct jx *j, int w, unsigned reg, unsigned index, unsigned rm, int force)
{
	unsigned r = 0x40 | (w ? 8u : 0u) | ((reg >> 3) & 1u) << 2 | ((index >> 3) & 1u) << 1 | ((rm >> 3) & 1u);
	if (r != 0x40 || force)
		e8(j, r);
}

JX_INLINE void opcode(struct jx *j, unsigned opc)
{
	if (opc > 0xffff)
		e8(j, opc >> 16);
	if (opc > 0xff)
		e8(j, (opc >> 8) & 0xff);
	e8(j, opc & 0xff);
}

JX_INLINE void modrm_rr(struct jx *j, unsigned reg, unsigned rm)
{
	e8(j, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

JX_INLINE void modrm_mem(struct jx *j, unsigned reg, unsigned base, int32_t disp)
{
	unsigned r = (reg & 7) << 3, b = base & 7;

	if (disp == 0 && b != 5) {
		e8(j, r | b);
		if (b == 4)
			e8(j, 0x24);
	} else if (fits8(disp)) {
		e8(j, 0x40 | r | b);
		if (b == 4)
			e8(j, 0x24);
		e8(j, (uint8_t)disp);
	} else {
		e8(j, 0x80 | r | b);
		if (b == 4)
			e8(j, 0x24);
		e32(j, (uint32_t)disp);
	}
}

/*
 * One x86 instruction gathered in registers and stored at once. Storing
 * byte by byte through j->p was most of the compile time: a byte store
 * may alias j->p itself, so the compiler reloaded the cursor after each
 * byte, a store-to-load round trip per byte. The encoders below build a
 * struct ib from their operands alone (no cursor), so emit_body can keep
 * its cursor in a register for the common instructions and emit_insn
 * uses the same encoders through j->p. The scratch buffer has slack for
 * the 16-byte store.
 */
struct ib {
	uint64_t v;    /* bytes 0..7, the first in the low byte */
	uint64_t hi;   /* bytes 8..15 (immediates and displacements only) */
	unsigned n;
};

/* One byte; only while n < 8 (opcodes, prefixes, ModRM and SIB come first). */
JX_INLINE void ib_byte(struct ib *b, unsigned x)
{
	b->v |= (uint64_t)(x & 0xff) << (8 * b->n);
	b->n++;
}

/* A 32-bit immediate or displacement, wherever it falls (n <= 12). */
JX_INLINE void ib_u32(struct ib *b, uint32_t x)
{
	if (b->n <= 4) {
		b->v |= (uint64_t)x << (8 * b->n);
	} else if (b->n >= 8) {
		b->hi |= (uint64_t)x << (8 * (b->n - 8));
	} else {
		b->v |= (uint64_t)x << (8 * b->n);
		b->hi |= (uint64_t)x >> (8 * (8 - b->n));
	}
	b->n += 4;
}

/* Store at p (16 bytes written, n kept); returns the new cursor. */
JX_INLINE uint8_t *ib_store(uint8_t *p, const struct ib *b)
{
	memcpy(p, &b->v, 8);
	memcpy(p + 8, &b->hi, 8);
	return p + b->n;
}

JX_INLINE void ib_put(struct jx *j, const struct ib *b)
{
	j->p = ib_store(j->p, b);
}

JX_INLINE void ib_rex(struct ib *b, int w, unsigned reg, unsigned index, unsigned rm, int force)
{
	unsigned r = 0x40 | (w ? 8u : 0u) | ((reg >> 3) & 1u) << 2 | ((index >> 3) & 1u) << 1 | ((rm >> 3) & 1u);
	if (r != 0x40 || force)
		ib_byte(b, r);
}

JX_INLINE void ib_opcode(struct ib *b, unsigned opc)
{
	if (opc > 0xffff)
		ib_byte(b, opc >> 16);
	if (opc > 0xff)
		ib_byte(b, opc >> 8);
	ib_byte(b, opc);
}

/*
 * The ModRM byte of a register pair (bits 0..7) and the REX bits R and B
 * it needs (bits 8..10), by reg * 16 + rm: one load in place of the
 * shifts and masks, in the encoder most instructions go through.
 */
#define RR(reg, rm) (uint16_t)(0xc0 | ((reg) & 7) << 3 | ((rm) & 7) | (((reg) >> 3) << 2 | (rm) >> 3) << 8)
#define RR_ROW(reg)                                                                                   \
	RR(reg, 0), RR(reg, 1), RR(reg, 2), RR(reg, 3), RR(reg, 4), RR(reg, 5), RR(reg, 6), RR(reg, 7),  \
	RR(reg, 8), RR(reg, 9), RR(reg, 10), RR(reg, 11), RR(reg, 12), RR(reg, 13), RR(reg, 14), RR(reg, 15)
static const uint16_t rr_bits[256] = {
	RR_ROW(0), RR_ROW(1), RR_ROW(2), RR_ROW(3), RR_ROW(4), RR_ROW(5), RR_ROW(6), RR_ROW(7),
	RR_ROW(8), RR_ROW(9), RR_ROW(10), RR_ROW(11), RR_ROW(12), RR_ROW(13), RR_ROW(14), RR_ROW(15),
};
#undef RR_ROW
#undef RR

/*
 * op reg, rm (register form); w: 64-bit. Without a branch on whether a
 * REX prefix is needed (the most common encoding: keep it short).
 */
JX_INLINE struct ib ib_rr(int w, unsigned opc, unsigned reg, unsigned rm)
{
	unsigned len = opc > 0xffff ? 3 : opc > 0xff ? 2 : 1;   /* constant at each call */
	uint32_t ops = (opc > 0xffff ? (opc >> 16 & 0xff) | (opc >> 8 & 0xff) << 8 | (opc & 0xff) << 16 :
			opc > 0xff ? (opc >> 8 & 0xff) | (opc & 0xff) << 8 : opc);
	unsigned bits = rr_bits[(reg & 15) << 4 | (rm & 15)];
	uint64_t body = ops | (uint64_t)(bits & 0xff) << (8 * len);
	unsigned rex = 0x40 | (w ? 8u : 0u) | bits >> 8;
	unsigned has = rex != 0x40;
	struct ib b = { body << (8 * has) | (has ? rex : 0), 0, len + 1 + has };

	return b;
}

JX_INLINE void op_rr(struct jx *j, int w, unsigned opc, unsigned reg, unsigned rm)
{
	struct ib b = ib_rr(w, opc, reg, rm);
	ib_put(j, &b);
}

/* op reg, [base + disp]; prefix66 for 16-bit; byte_reg forces REX for reg 4..7. */
JX_INLINE struct ib ib_rm(int w, int prefix66, unsigned opc, unsigned reg, unsigned base, int32_t disp,
			  int byte_reg)
{
	struct ib b = { 0, 0, 0 };
	unsigned r = (reg & 7) << 3, bb = base & 7;

	if (prefix66)
		ib_byte(&b, 0x66);
	ib_rex(&b, w, reg, 0, base, byte_reg && reg >= 4 && reg <= 7);
	ib_opcode(&b, opc);
	if (disp == 0 && bb != 5) {
		ib_byte(&b, r | bb);
		if (bb == 4)
			ib_byte(&b, 0x24);
	} else if (fits8(disp)) {
		ib_byte(&b, 0x40 | r | bb);
		if (bb == 4)
			ib_byte(&b, 0x24);
		ib_byte(&b, (uint8_t)disp);
	} else {
		ib_byte(&b, 0x80 | r | bb);
		if (bb == 4)
			ib_byte(&b, 0x24);
		ib_u32(&b, (uint32_t)disp);   /* at most 6 bytes before */
	}
	return b;
}

JX_INLINE void op_rm(struct jx *j, int w, int prefix66, unsigned opc, unsigned reg, unsigned base, int32_t disp,
		     int byte_reg)
{
	struct ib b = ib_rm(w, prefix66, opc, reg, base, disp, byte_reg);
	ib_put(j, &b);
}

/* ---- common instructions -------------------------------------------------- */

JX_INLINE void mov_rr(struct jx *j, int w, unsigned dst, unsigned src)
{
	op_rr(j, w, 0x89, src, dst);
}

/* dst = v (a 64-bit value), shortest form. */
JX_INLINE struct ib ib_mov_imm(unsigned dst, uint64_t v)
{
	struct ib b = { 0, 0, 0 };

	if (v == 0)
		return ib_rr(0, 0x31, dst, dst);
	if (v <= UINT32_MAX) {
		ib_rex(&b, 0, 0, 0, dst, 0);
		ib_byte(&b, 0xb8 + (dst & 7));
	} else if (fits32((int64_t)v)) {
		ib_rex(&b, 1, 0, 0, dst, 0);
		ib_byte(&b, 0xc7);
		ib_byte(&b, 0xc0 | (dst & 7));
	} else {
		ib_rex(&b, 1, 0, 0, dst, 0);   /* movabs: 2 bytes and the value */
		ib_byte(&b, 0xb8 + (dst & 7));
		b.v |= v << 16;
		b.hi = v >> 48;
		b.n = 10;
		return b;
	}
	ib_u32(&b, (uint32_t)v);
	return b;
}

static void mov_imm(struct jx *j, unsigned dst, uint64_t v)
{
	struct ib b = ib_mov_imm(dst, v);
	ib_put(j, &b);
}

static void movabs(struct jx *j, unsigned dst, uint64_t v)
{
	struct ib b = { 0, 0, 0 };

	ib_rex(&b, 1, 0, 0, dst, 0);
	ib_byte(&b, 0xb8 + (dst & 7));
	b.v |= v << 16;
	b.hi = v >> 48;
	b.n = 10;
	ib_put(j, &b);
}

/* Group-1 ALU with an immediate: ext 0 add, 1 or, 4 and, 5 sub, 6 xor, 7 cmp. */
JX_INLINE struct ib ib_alu_imm(int w, unsigned ext, unsigned dst, int32_t imm)
{
	struct ib b = { 0, 0, 0 };

	ib_rex(&b, w, 0, 0, dst, 0);
	if (fits8(imm)) {
		ib_byte(&b, 0x83);
		ib_byte(&b, 0xc0 | (ext & 7) << 3 | (dst & 7));
		ib_byte(&b, (uint8_t)imm);
		return b;
	}
	if (dst == RAX) {
		ib_byte(&b, 0x05 + 8 * ext);
	} else {
		ib_byte(&b, 0x81);
		ib_byte(&b, 0xc0 | (ext & 7) << 3 | (dst & 7));
	}
	ib_u32(&b, (uint32_t)imm);
	return b;
}

JX_INLINE void alu_imm(struct jx *j, int w, unsigned ext, unsigned dst, int32_t imm)
{
	struct ib b = ib_alu_imm(w, ext, dst, imm);
	ib_put(j, &b);
}

/* Group-1 ALU with a memory operand: op reg, [base + disp]. */
JX_INLINE void alu_rm(struct jx *j, int w, unsigned opc, unsigned reg, unsigned base, int32_t disp)
{
	op_rm(j, w, 0, opc, reg, base, disp, 0);
}

JX_INLINE void load64(struct jx *j, unsigned dst, unsigned base, int32_t disp)
{
	op_rm(j, 1, 0, 0x8b, dst, base, disp, 0);
}

JX_INLINE void store64(struct jx *j, unsigned base, int32_t disp, unsigned src)
{
	op_rm(j, 1, 0, 0x89, src, base, disp, 0);
}

JX_INLINE void lea(struct jx *j, int w, unsigned dst, unsigned base, int32_t disp)
{
	op_rm(j, w, 0, 0x8d, dst, base, disp, 0);
}

JX_INLINE void push(struct jx *j, unsigned r)
{
	struct ib b = { 0, 0, 0 };

	ib_rex(&b, 0, 0, 0, r, 0);
	ib_byte(&b, 0x50 + (r & 7));
	ib_put(j, &b);
}

JX_INLINE void pop(struct jx *j, unsigned r)
{
	struct ib b = { 0, 0, 0 };

	ib_rex(&b, 0, 0, 0, r, 0);
	ib_byte(&b, 0x58 + (r & 7));
	ib_put(j, &b);
}

/* Shift group (C1/D3): ext 0 rol, 1 ror, 4 shl, 5 shr, 7 sar. */
JX_INLINE struct ib ib_shift_imm(int w, unsigned ext, unsigned dst, unsigned n)
{
	struct ib b = { 0, 0, 0 };

	ib_rex(&b, w, 0, 0, dst, 0);
	ib_byte(&b, n == 1 ? 0xd1 : 0xc1);
	ib_byte(&b, 0xc0 | (ext & 7) << 3 | (dst & 7));
	if (n != 1)
		ib_byte(&b, n);
	return b;
}

JX_INLINE void shift_imm(struct jx *j, int w, unsigned ext, unsigned dst, unsigned n)
{
	struct ib b = ib_shift_imm(w, ext, dst, n);
	ib_put(j, &b);
}

static void call_reg(struct jx *j, unsigned r)
{
	rex(j, 0, 0, 0, r, 0);
	e8(j, 0xff);
	modrm_rr(j, 2, r);
}

/* Call an absolute address through r10 (or rax when r10 is busy). */
static void call_abs(struct jx *j, unsigned via, const void *fn)
{
	movabs(j, via, (uint64_t)(uintptr_t)fn);
	call_reg(j, via);
}

/* ---- labels, jumps and fixups --------------------------------------------- */

static inline size_t lab_index(const struct jx *j, unsigned special)
{
	return j->count + 1 + special;
}

static void place(struct jx *j, size_t label)
{
	j->lab[label] = (uint32_t)here(j);
	if (label > j->count)
		j->placed[label - j->count - 1] = 1;
}

/* Doubles a fixup list (the rare path of push_fixup); 0, or -1 with j->oom set. */
static int grow_fixups(struct jx *j, struct fixup **list, size_t *cap)
{
	size_t c = *cap ? *cap * 2 : 256;
	struct fixup *f = realloc(*list, c * sizeof(*f));

	if (!f) {
		j->oom = 1;
		return -1;
	}
	*list = f;
	*cap = c;
	return 0;
}

JX_INLINE void push_fixup(struct jx *j, struct fixup **list, size_t *n, size_t *cap, size_t at, size_t label,
			  int size, int cc)
{
	if (VM_UNLIKELY(*n == *cap) && grow_fixups(j, list, cap) < 0)
		return;
	(*list)[*n].at = (uint32_t)at;
	(*list)[*n].label = (uint32_t)label;
	(*list)[*n].size = (int8_t)size;
	(*list)[*n].cc = (int8_t)cc;
	(*n)++;
}

/* rel32 operand to `label` (after the opcode bytes), patched at the end. */
static void rel32_to(struct jx *j, size_t label)
{
	push_fixup(j, &j->fix, &j->nfix, &j->capfix, here(j), label, 4, 0);
	e32(j, 0);
}

static void call_label(struct jx *j, unsigned special)
{
	e8(j, 0xe8);
	rel32_to(j, lab_index(j, special));
}

/* The opcode of jcc (cc >= 0) or jmp (cc < 0) with a 32-bit displacement, and 0 for the displacement. */
JX_INLINE void ib_jump_long(struct ib *b, int cc)
{
	if (cc < 0) {
		ib_byte(b, 0xe9);
	} else {
		ib_byte(b, 0x0f);
		ib_byte(b, 0x80 + (unsigned)cc);
	}
	b->n += 4;   /* the displacement: zero bytes, patched later */
}

/*
 * jcc (cc >= 0) or jmp (cc < 0) with a 32-bit displacement, at p (j's
 * cursor, or the one emit_body keeps in a register); returns the new cursor.
 */
JX_INLINE uint8_t *jump_long_at(struct jx *j, uint8_t *p, int cc, size_t label)
{
	struct ib b = { 0, 0, 0 };

	ib_jump_long(&b, cc);
	push_fixup(j, &j->fix, &j->nfix, &j->capfix, (size_t)(p - j->buf) + b.n - 4, label, 4, 0);
	return ib_store(p, &b);
}

static void jump_long(struct jx *j, int cc, size_t label)
{
	j->p = jump_long_at(j, j->p, cc, label);
}

/*
 * Jump from slot pc to an instruction, at p; returns the new cursor.
 * Backward, short when it fits; forward, long for now (the copy shortens
 * it when it fits). Branches end their instruction's code.
 */
JX_INLINE uint8_t *jump_pc_at(struct jx *j, uint8_t *p, size_t pc, int cc, size_t target)
{
	size_t at = (size_t)(p - j->buf);
	struct ib b = { 0, 0, 0 };

	if (target <= pc) {
		int64_t d = (int64_t)j->lab[target] - (int64_t)(at + 2);
		if (fits8(d)) {
			ib_byte(&b, cc < 0 ? 0xeb : 0x70 + (unsigned)cc);
			ib_byte(&b, 0);
			push_fixup(j, &j->fix, &j->nfix, &j->capfix, at + 1, target, 1, 0);
			return ib_store(p, &b);
		}
		return jump_long_at(j, p, cc, target);
	}
	push_fixup(j, &j->relax, &j->nrelax, &j->caprelax, at, target, cc < 0 ? 5 : 6, cc);
	ib_jump_long(&b, cc);
	return ib_store(p, &b);
}

static void jump_pc(struct jx *j, int cc, size_t target)
{
	j->p = jump_pc_at(j, j->p, j->pc, cc, target);
}

static void jump_special(struct jx *j, int cc, unsigned special)
{
	jump_long(j, cc, lab_index(j, special));
}

/* A short forward jump inside one instruction's code: returns where to patch. */
static uint8_t *jump8_fwd(struct jx *j, int cc)
{
	e8(j, cc < 0 ? 0xeb : 0x70 + (unsigned)cc);
	e8(j, 0);
	return j->p - 1;
}

static void patch8(struct jx *j, uint8_t *at)
{
	*at = (uint8_t)(j->p - (at + 1));
}

/* ---- constants, blinded or not --------------------------------------------- */

static uint64_t rng_next(struct jx *j)
{
	uint64_t x = j->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	j->rng = x;
	return x;
}

/*
 * reg = v (`w`: v is a 64-bit value, else the low 32 bits zero-extended).
 * Blinded: the constant never appears in the code, only v ^ key and the
 * key, in forms of a fixed size. Values that fit a sign-extended imm32 use
 * `reg` alone; others also use r11 (reg must not be r11 then).
 */
static void load_const(struct jx *j, unsigned reg, uint64_t v, int w)
{
	if (!w)
		v = (uint32_t)v;
	if (!j->blind) {
		mov_imm(j, reg, v);
		return;
	}
	if (!w || fits32((int64_t)v)) {
		uint32_t key = (uint32_t)rng_next(j);
		int w64 = w && (int64_t)v < 0;
		rex(j, w64, 0, 0, reg, 0);
		e8(j, 0xc7);
		modrm_rr(j, 0, reg);
		e32(j, (uint32_t)v ^ key);                 /* mov reg, v ^ key */
		rex(j, w64, 0, 0, reg, 0);
		e8(j, 0x81);
		modrm_rr(j, 6, reg);
		e32(j, key);                               /* xor reg, key */
	} else {
		uint64_t key = rng_next(j);
		movabs(j, reg, v ^ key);
		movabs(j, T2, key);
		op_rr(j, 1, 0x31, T2, reg);
	}
}

/* ---- memory operands ---------------------------------------------------------- */

struct xmem {
	unsigned base;
	int32_t disp;
};

static int size_index(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

#define RUN_OFF(field) ((int32_t)offsetof(struct nyk_exec, field))

/*
 * The operand of an access of `size` bytes at eBPF register `breg` + off.
 * Checked mode: constant offsets into the current frame need no test;
 * anything else gets its address in r11, tested against mem inline and
 * through the stub of (kind, size) otherwise.
 */
static struct xmem mem_operand(struct jx *j, unsigned breg, int32_t off, unsigned size, enum vm_access kind)
{
	unsigned base = xreg[breg];
	uint8_t *ok;

	if (!j->checked || (breg == NYK_REG_FP && off >= -NYK_STACK_SIZE && off + (int32_t)size <= 0))
		return (struct xmem){ base, off };
	if (off)
		lea(j, 1, T2, base, off);
	else
		mov_rr(j, 1, T2, base);
	mov_rr(j, 1, T1, T2);
	alu_rm(j, 1, 0x2b, T1, CTX, RUN_OFF(mem));                       /* sub r10, [run.mem] */
	alu_rm(j, 1, 0x3b, T1, CTX, RUN_OFF(mem_lim) + 8 * size_index(size)); /* cmp r10, [run.mem_lim[k]] */
	ok = jump8_fwd(j, CC_B);
	call_label(j, LAB_CHECK_FIRST + 4 * (unsigned)kind + (unsigned)size_index(size));
	patch8(j, ok);
	return (struct xmem){ T2, 0 };
}

/* ---- instructions ---------------------------------------------------------------- */

/* dst op= src for add/sub/or/and/xor (opcode of the "r/m, reg" form). */
static void alu_x(struct jx *j, int w, unsigned opc, unsigned d, unsigned s)
{
	op_rr(j, w, opc, s, d);
}

/* dst op= imm for add(0)/or(1)/and(4)/sub(5)/xor(6). */
static void alu_k(struct jx *j, int w, unsigned ext, unsigned opc, unsigned d, uint64_t imm)
{
	if (j->blind) {
		load_const(j, T1, imm, w);
		alu_x(j, w, opc, d, T1);
		return;
	}
	alu_imm(j, w, ext, d, (int32_t)imm);
}

static void emit_shift_x(struct jx *j, int w, unsigned ext, unsigned d, unsigned s)
{
	if (j->bmi2) {
		/* shlx/shrx/sarx d, d, s: VEX.LZ.{66,F2,F3}.0F38.W F7 /r */
		unsigned pp = ext == 4 ? 1 : ext == 5 ? 3 : 2;
		e8(j, 0xc4);
		e8(j, (((d >> 3) & 1) ? 0 : 0x80) | 0x40 | (((d >> 3) & 1) ? 0 : 0x20) | 0x02);
		e8(j, (w ? 0x80 : 0) | ((~s & 15) << 3) | pp);
		e8(j, 0xf7);
		modrm_rr(j, d, d);
		return;
	}
	if (s == RCX) {
		op_rr(j, w, 0xd3, ext, d);
	} else if (d == RCX) {
		mov_rr(j, 1, T2, RCX);
		mov_rr(j, 1, RCX, s);
		op_rr(j, w, 0xd3, ext, T2);
		mov_rr(j, 1, RCX, T2);
	} else {
		mov_rr(j, 1, T2, RCX);
		mov_rr(j, 1, RCX, s);
		op_rr(j, w, 0xd3, ext, d);
		mov_rr(j, 1, RCX, T2);
	}
}

static void emit_shift_k(struct jx *j, int w, unsigned ext, unsigned d, uint64_t imm)
{
	unsigned n = (unsigned)imm & (w ? 63u : 31u);

	if (n == 0) {
		if (!w)
			mov_rr(j, 0, d, d);
		return;
	}
	shift_imm(j, w, ext, d, n);
}

/* The generic divide: d = d / r11 or d % r11 (r11 neither 0 nor, when signed, -1). */
static void emit_div_core(struct jx *j, int w, int is_signed, int is_mod, unsigned d)
{
	int save_rax = d != RAX, save_rdx = d != RDX;

	if (save_rdx)
		push(j, RDX);
	if (save_rax)
		push(j, RAX);
	if (d != RAX)
		mov_rr(j, w, RAX, d);
	if (is_signed) {
		rex(j, w, 0, 0, 0, 0);
		e8(j, 0x99);                          /* cdq / cqo */
	} else {
		op_rr(j, 0, 0x31, RDX, RDX);          /* xor edx, edx */
	}
	op_rr(j, w, 0xf7, is_signed ? 7 : 6, T2); /* (i)div r11 */
	mov_rr(j, 1, T2, is_mod ? RDX : RAX);
	if (save_rax)
		pop(j, RAX);
	if (save_rdx)
		pop(j, RDX);
	mov_rr(j, w, d, T2);
}

static void emit_divmod_x(struct jx *j, int w, int is_signed, int is_mod, unsigned d, unsigned s)
{
	uint8_t *nonzero, *done1, *normal = NULL, *done2 = NULL;

	op_rr(j, w, 0x85, s, s);                  /* test s, s */
	nonzero = jump8_fwd(j, CC_NE);
	if (is_mod) {
		if (!w)
			mov_rr(j, 0, d, d);
	} else {
		op_rr(j, 0, 0x31, d, d);
	}
	done1 = jump8_fwd(j, -1);
	patch8(j, nonzero);
	if (is_signed) {
		alu_imm(j, w, 7, s, -1);              /* cmp s, -1 */
		normal = jump8_fwd(j, CC_NE);
		if (is_mod)
			op_rr(j, 0, 0x31, d, d);
		else
			op_rr(j, w, 0xf7, 3, d);      /* neg d */
		done2 = jump8_fwd(j, -1);
		patch8(j, normal);
	}
	mov_rr(j, 1, T2, s);
	emit_div_core(j, w, is_signed, is_mod, d);
	patch8(j, done1);
	if (done2)
		patch8(j, done2);
}

/*
 * Unsigned d / v or d % v by a constant v (neither 0 nor a power of two)
 * with multiplications. 32-bit: q = mulhi64(M, n) with M = ceil(2^64 / v),
 * and n % v = mulhi64(M * n mod 2^64, v) (Lemire, Kaser and Kurz, 2019).
 * 64-bit: Granlund and Montgomery's round-up method with a 65-bit
 * multiplier: t = mulhi(m, n), q = (t + ((n - t) >> 1)) >> (l - 1).
 */
static void emit_divmod_magic(struct jx *j, int w, int is_mod, unsigned d, uint64_t v)
{
	int save_rax = d != RAX, save_rdx = d != RDX;

	if (save_rdx)
		push(j, RDX);
	if (save_rax)
		push(j, RAX);
	mov_rr(j, w, T2, d);                          /* n (32-bit: zero-extended) */
	if (!w) {
		uint64_t m = UINT64_MAX / v + 1;
		movabs(j, RAX, m);
		op_rr(j, 1, 0xf7, 4, T2);             /* mul r11: rdx = q, rax = M * n */
		if (is_mod) {
			mov_imm(j, T2, v);
			op_rr(j, 1, 0xf7, 4, T2);     /* mul r11: rdx = n % v */
		}
		mov_rr(j, 1, T2, RDX);
	} else {
		unsigned l = 64 - (unsigned)__builtin_clzll(v - 1);      /* ceil(log2 v) */
		uint64_t m = (uint64_t)((((unsigned __int128)1 << 64) * ((((unsigned __int128)1) << l) - v)) / v) + 1;
		movabs(j, RAX, m);
		op_rr(j, 1, 0xf7, 4, T2);             /* mul r11: rdx = t */
		mov_rr(j, 1, RAX, T2);
		alu_x(j, 1, 0x29, RAX, RDX);          /* n - t */
		shift_imm(j, 1, 5, RAX, 1);
		alu_x(j, 1, 0x01, RAX, RDX);
		if (l > 1)
			shift_imm(j, 1, 5, RAX, l - 1);  /* q */
		if (is_mod) {
			mov_imm(j, RDX, v);
			op_rr(j, 1, 0x0faf, RAX, RDX);  /* q * v */
			alu_x(j, 1, 0x29, T2, RAX);     /* r11 = n - q * v */
		} else {
			mov_rr(j, 1, T2, RAX);
		}
	}
	if (save_rax)
		pop(j, RAX);
	if (save_rdx)
		pop(j, RDX);
	mov_rr(j, w, d, T2);
}

/*
 * The multiplier M and shift s that turn a signed division by the
 * constant d (2 <= |d| < 2^(bits-1)) into q = mulhs(M, n) (+ or - n),
 * arithmetic shift by s, plus one when negative (Granlund and Montgomery,
 * 1994; the search as in Hacker's Delight, chapter 10). All arithmetic
 * is modulo 2^bits.
 */
static void sdiv_magic(int64_t d, unsigned bits, int64_t *magic, unsigned *shift)
{
	const uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	const uint64_t top = UINT64_C(1) << (bits - 1);
	uint64_t ad = (uint64_t)(d < 0 ? -d : d) & mask;
	uint64_t t = top + (d < 0 ? 1 : 0);
	uint64_t anc = t - 1 - t % ad;           /* |nc|: the largest dividend with n % d == d - 1 */
	uint64_t q1 = top / anc, r1 = top - q1 * anc;
	uint64_t q2 = top / ad, r2 = top - q2 * ad;
	uint64_t delta, m;
	unsigned p = bits - 1;

	do {
		p++;
		q1 = (2 * q1) & mask;
		r1 = (2 * r1) & mask;
		if (r1 >= anc) {
			q1 = (q1 + 1) & mask;
			r1 = (r1 - anc) & mask;
		}
		q2 = (2 * q2) & mask;
		r2 = (2 * r2) & mask;
		if (r2 >= ad) {
			q2 = (q2 + 1) & mask;
			r2 = (r2 - ad) & mask;
		}
		delta = (ad - r2) & mask;
	} while (q1 < delta || (q1 == delta && r1 == 0));
	m = (q2 + 1) & mask;
	if (d < 0)
		m = (0 - m) & mask;
	/* Sign-extend the bits-wide multiplier. */
	*magic = bits == 64 ? (int64_t)m : (int64_t)(int32_t)(uint32_t)m;
	*shift = p - bits;
}

/*
 * Signed d / v or d % v by a constant v (not 0, -1 or the most negative
 * value) with a multiplication: q as sdiv_magic says, n % v = n - q * v.
 * 32-bit: the high half of the product comes from one 64-bit multiply of
 * the sign-extended operands.
 */
static void emit_sdivmod_magic(struct jx *j, int w, int is_mod, unsigned d, int64_t v)
{
	int save_rax = d != RAX, save_rdx = d != RDX;
	int64_t m;
	unsigned s;

	sdiv_magic(v, w ? 64 : 32, &m, &s);
	if (save_rdx)
		push(j, RDX);
	if (save_rax)
		push(j, RAX);
	if (w) {
		mov_rr(j, 1, T2, d);                      /* n */
		movabs(j, RAX, (uint64_t)m);
		op_rr(j, 1, 0xf7, 5, T2);                 /* imul r11: rdx = mulhs(M, n) */
	} else {
		op_rr(j, 1, 0x63, T2, d);                 /* movsxd r11, d32: n */
		mov_imm(j, RDX, (uint64_t)m);
		op_rr(j, 1, 0x0faf, RDX, T2);             /* imul rdx, r11: the whole product */
		shift_imm(j, 1, 7, RDX, 32);              /* its high half */
	}
	if (v > 0 && m < 0)
		alu_x(j, w, 0x01, RDX, T2);               /* + n */
	else if (v < 0 && m > 0)
		alu_x(j, w, 0x29, RDX, T2);               /* - n */
	if (s)
		shift_imm(j, w, 7, RDX, s);               /* sar */
	mov_rr(j, w, RAX, RDX);
	shift_imm(j, w, 5, RAX, w ? 63 : 31);        /* 1 when q < 0 */
	alu_x(j, w, 0x01, RDX, RAX);                 /* q, rounded toward zero */
	if (is_mod) {
		rex(j, w, RDX, 0, RDX, 0);
		e8(j, 0x69);
		modrm_rr(j, RDX, RDX);
		e32(j, (uint32_t)(int32_t)v);             /* imul rdx, rdx, v */
		alu_x(j, w, 0x29, T2, RDX);               /* r11 = n - q * v */
	} else {
		mov_rr(j, 1, T2, RDX);
	}
	if (save_rax)
		pop(j, RAX);
	if (save_rdx)
		pop(j, RDX);
	mov_rr(j, w, d, T2);
}

static void emit_divmod_k(struct jx *j, int w, int is_signed, int is_mod, unsigned d, uint64_t imm)
{
	uint64_t v = w ? imm : (uint32_t)imm;
	uint64_t minus1 = w ? UINT64_MAX : UINT32_MAX;

	if (v == 0) {
		if (is_mod) {
			if (!w)
				mov_rr(j, 0, d, d);
		} else {
			op_rr(j, 0, 0x31, d, d);
		}
		return;
	}
	if (is_signed && v == minus1) {
		if (is_mod)
			op_rr(j, 0, 0x31, d, d);
		else
			op_rr(j, w, 0xf7, 3, d);
		return;
	}
	if (!is_signed && (v & (v - 1)) == 0 && !j->blind) {
		unsigned n = 0;
		while ((UINT64_C(1) << n) != v)
			n++;
		if (is_mod) {
			if (v - 1 <= INT32_MAX)
				alu_imm(j, w, 4, d, (int32_t)(v - 1));
			else
				alu_imm(j, 0, 4, d, (int32_t)(uint32_t)(v - 1));   /* 32-bit: and d32, 0x7fffffff.. */
		} else {
			emit_shift_k(j, w, 5, d, n);
		}
		return;
	}
#if defined(__SIZEOF_INT128__)
	if (!is_signed && !j->blind) {
		emit_divmod_magic(j, w, is_mod, d, v);
		return;
	}
#endif
	if (is_signed && !j->blind && v != 1 && v != (w ? UINT64_C(1) << 63 : UINT64_C(1) << 31)) {
		emit_sdivmod_magic(j, w, is_mod, d, w ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v);
		return;
	}
	load_const(j, T2, v, w);
	emit_div_core(j, w, is_signed, is_mod, d);
}

/*
 * Conditional jumps, by op: the x86 condition (JC_CC; 0 for every other
 * op), whether the compare is 64-bit (JC_W), of a register (JC_X), a
 * jset's `test` (JC_SET). A table rather than a switch: emit_body looks
 * it up for every instruction.
 */
enum { JC_CC = 0x0f, JC_W = 0x10, JC_X = 0x20, JC_SET = 0x40 };
#define JC_ROW(N, CC, SET)                                                        \
	[VM_OP_##N##_K] = (CC) | (SET) | JC_W, [VM_OP_##N##_X] = (CC) | (SET) | JC_W | JC_X, \
	[VM_OP_##N##32_K] = (CC) | (SET), [VM_OP_##N##32_X] = (CC) | (SET) | JC_X,
static const uint8_t jcc_info[256] = {
	JC_ROW(JEQ, CC_E, 0) JC_ROW(JNE, CC_NE, 0) JC_ROW(JGT, CC_A, 0) JC_ROW(JGE, CC_AE, 0)
	JC_ROW(JLT, CC_B, 0) JC_ROW(JLE, CC_BE, 0) JC_ROW(JSGT, CC_G, 0) JC_ROW(JSGE, CC_GE, 0)
	JC_ROW(JSLT, CC_L, 0) JC_ROW(JSLE, CC_LE, 0) JC_ROW(JSET, CC_NE, JC_SET)
};
#undef JC_ROW

/*
 * The compare before the branch of a conditional jump (info: its
 * jcc_info), blinding aside: nothing when the ALU op that computed dst
 * left ZF saying whether it is 0 (zf_reg, zf_w; see track_zf) and the
 * jump is a jeq/jne with 0.
 */
JX_INLINE struct ib ib_jcond_compare(const struct vm_insn *in, unsigned info, int zf_reg, int zf_w)
{
	unsigned d = xreg[in->dst], cc = info & JC_CC;
	int w = !!(info & JC_W), is_set = !!(info & JC_SET);
	uint64_t imm = w ? in->imm : (uint32_t)in->imm;
	struct ib b = { 0, 0, 0 };

	if (info & JC_X)
		return ib_rr(w, is_set ? 0x85 : 0x39, xreg[in->src], d);
	if (imm == 0 && !is_set) {
		if ((cc == CC_E || cc == CC_NE) && zf_reg == (int)d && (!zf_w || w))
			return b;   /* a 32-bit op's zero upper half keeps its ZF right for 64 */
		return ib_rr(w, 0x85, d, d);
	}
	if (is_set) {
		/* test d, imm32 (sign-extended in 64-bit form) */
		ib_rex(&b, w && (int32_t)in->imm < 0, 0, 0, d, 0);
		if (d == RAX) {
			ib_byte(&b, 0xa9);
		} else {
			ib_byte(&b, 0xf7);
			ib_byte(&b, 0xc0 | (d & 7));
		}
		ib_u32(&b, (uint32_t)in->imm);
		return b;
	}
	return ib_alu_imm(w, 7, d, (int32_t)in->imm);
}

static int joinable(const struct jx *j, size_t pc);

/* Whether the slot after the conditional jump at j->pc is a `ja` to elsewhere that nothing else reaches. */
static int jumps_over_ja(const struct jx *j)
{
	size_t next = j->pc + 1;
	unsigned op;

	if (!joinable(j, next))
		return 0;
	op = vm_op_first(j->code[next].op);
	return (op == VM_OP_JA || op == VM_OP_JA32) && (size_t)(uint32_t)j->code[next].off != next;
}

/* Conditional jump (op: a conditional jump's). */
static void emit_jcond(struct jx *j, const struct vm_insn *in, unsigned op)
{
	unsigned info = jcc_info[op];
	size_t target = (size_t)(uint32_t)in->off;
	int cc = (int)(info & JC_CC), w = !!(info & JC_W);
	uint64_t imm = w ? in->imm : (uint32_t)in->imm;

	if (target == j->pc + 1)
		return;
	if (target == j->pc + 2 && jumps_over_ja(j)) {
		/* `if c goto +1; goto t`: one `if !c goto t` (x86 conditions invert with bit 0) */
		target = (size_t)(uint32_t)j->code[j->pc + 1].off;
		cc ^= 1;
		j->skip_next = 1;
	}
	if (j->blind && !(info & JC_X) && imm) {
		load_const(j, T1, imm, w);
		op_rr(j, w, info & JC_SET ? 0x85 : 0x39, T1, xreg[in->dst]);
	} else {
		struct ib b = ib_jcond_compare(in, info, j->zf_reg, j->zf_w);
		ib_put(j, &b);
	}
	jump_pc(j, cc, target);
}

/* Loads: dst = ext(*(size *)m). */
static void emit_load(struct jx *j, unsigned d, struct xmem m, unsigned size, int sx)
{
	switch (size) {
	case 1: op_rm(j, sx, 0, sx ? 0x0fbe : 0x0fb6, d, m.base, m.disp, 0); break;
	case 2: op_rm(j, sx, 0, sx ? 0x0fbf : 0x0fb7, d, m.base, m.disp, 0); break;
	case 4: op_rm(j, sx, 0, sx ? 0x63 : 0x8b, d, m.base, m.disp, 0); break;
	default: op_rm(j, 1, 0, 0x8b, d, m.base, m.disp, 0); break;
	}
}

static void emit_store_reg(struct jx *j, struct xmem m, unsigned size, unsigned s)
{
	switch (size) {
	case 1: op_rm(j, 0, 0, 0x88, s, m.base, m.disp, 1); break;
	case 2: op_rm(j, 0, 1, 0x89, s, m.base, m.disp, 0); break;
	case 4: op_rm(j, 0, 0, 0x89, s, m.base, m.disp, 0); break;
	default: op_rm(j, 1, 0, 0x89, s, m.base, m.disp, 0); break;
	}
}

static void emit_store_imm(struct jx *j, struct xmem m, unsigned size, int32_t imm)
{
	if (j->blind && imm) {
		load_const(j, T1, (uint64_t)(int64_t)imm, 1);
		emit_store_reg(j, m, size, T1);
		return;
	}
	switch (size) {
	case 1: op_rm(j, 0, 0, 0xc6, 0, m.base, m.disp, 0); e8(j, (uint8_t)imm); break;
	case 2: op_rm(j, 0, 1, 0xc7, 0, m.base, m.disp, 0); e16(j, (unsigned)imm); break;
	case 4: op_rm(j, 0, 0, 0xc7, 0, m.base, m.disp, 0); e32(j, (uint32_t)imm); break;
	default: op_rm(j, 1, 0, 0xc7, 0, m.base, m.disp, 0); e32(j, (uint32_t)imm); break;
	}
}

/* Atomic read-modify-write; op is the VM_OP_A*32 operation, w for the 64-bit one. */
static void emit_atomic(struct jx *j, const struct vm_insn *in, unsigned op32, int w)
{
	unsigned size = w ? 8 : 4, s = xreg[in->src];
	struct xmem m = mem_operand(j, in->dst, in->off, size, VM_ATOMIC);

	if (j->checked) {
		uint8_t *aligned;
		if (m.base != T2) {
			lea(j, 1, T2, m.base, m.disp);
			m = (struct xmem){ T2, 0 };
		}
		rex(j, 0, 0, 0, T2, 0);
		e8(j, 0xf6);                              /* test r11b, size - 1 */
		modrm_rr(j, 0, T2);
		e8(j, size - 1);
		aligned = jump8_fwd(j, CC_E);
		call_label(j, w ? LAB_MISALIGNED8 : LAB_MISALIGNED4);
		patch8(j, aligned);
	}
	switch (op32) {
	case VM_OP_AADD32: case VM_OP_AOR32: case VM_OP_AAND32: case VM_OP_AXOR32: {
		unsigned opc = op32 == VM_OP_AADD32 ? 0x01 : op32 == VM_OP_AOR32 ? 0x09 : op32 == VM_OP_AAND32 ? 0x21 : 0x31;
		e8(j, 0xf0);
		op_rm(j, w, 0, opc, s, m.base, m.disp, 0);
		return;
	}
	case VM_OP_AFADD32:
		e8(j, 0xf0);
		op_rm(j, w, 0, 0x0fc1, s, m.base, m.disp, 0);   /* lock xadd [m], s */
		return;
	case VM_OP_AXCHG32:
		op_rm(j, w, 0, 0x87, s, m.base, m.disp, 0);     /* xchg [m], s */
		return;
	case VM_OP_ACMPXCHG32:
		e8(j, 0xf0);
		op_rm(j, w, 0, 0x0fb1, s, m.base, m.disp, 0);   /* lock cmpxchg [m], s */
		if (!w)
			mov_rr(j, 0, RAX, RAX);
		return;
	default: {
		/* fetch or/and/xor: a compare-exchange loop in r9, with r0 kept in r10. */
		unsigned opc = op32 == VM_OP_AFOR32 ? 0x09 : op32 == VM_OP_AFAND32 ? 0x21 : 0x31;
		unsigned sv = s == RAX ? T1 : s;
		uint8_t *loop;
		if (m.base == RAX) {
			lea(j, 1, T2, RAX, m.disp);
			m = (struct xmem){ T2, 0 };
		}
		push(j, R9);
		mov_rr(j, 1, T1, RAX);
		op_rm(j, w, 0, 0x8b, RAX, m.base, m.disp, 0);   /* mov rax, [m] */
		loop = j->p;
		mov_rr(j, w, R9, RAX);
		op_rr(j, w, opc, sv, R9);
		e8(j, 0xf0);
		op_rm(j, w, 0, 0x0fb1, R9, m.base, m.disp, 0);
		e8(j, 0x70 + CC_NE);
		e8(j, (uint8_t)(loop - (j->p + 1)));
		if (s != RAX) {
			mov_rr(j, w, s, RAX);
			mov_rr(j, 1, RAX, T1);
		}
		pop(j, R9);
		return;
	}
	}
}

/* Legacy packet load: r0 = ntoh(*(size *)(mem + off)), or end with r0 = 0. */
static void emit_ldpkt(struct jx *j, const struct vm_insn *in, unsigned size, int ind)
{
	unsigned addr;
	int32_t disp;

	if (!ind) {
		int64_t off = (int32_t)in->imm;
		if (off < 0) {
			jump_special(j, -1, LAB_PKT_ZERO);
			return;
		}
		load64(j, T1, CTX, RUN_OFF(pkt_len));
		if (off + size <= INT32_MAX) {
			alu_imm(j, 1, 7, T1, (int32_t)(off + size));
		} else {
			mov_imm(j, T2, (uint64_t)off + size);
			op_rr(j, 1, 0x39, T2, T1);
		}
		jump_special(j, CC_B, LAB_PKT_ZERO);
		load64(j, T1, CTX, RUN_OFF(pkt));
		addr = T1;
		disp = (int32_t)off;
	} else {
		lea(j, 0, T2, xreg[in->src], (int32_t)in->imm);      /* r11d = src32 + imm */
		op_rr(j, 0, 0x85, T2, T2);
		jump_special(j, CC_S, LAB_PKT_ZERO);
		lea(j, 1, T1, T2, (int32_t)size);
		alu_rm(j, 1, 0x3b, T1, CTX, RUN_OFF(pkt_len));
		jump_special(j, CC_A, LAB_PKT_ZERO);
		alu_rm(j, 1, 0x03, T2, CTX, RUN_OFF(pkt));
		addr = T2;
		disp = 0;
	}
	switch (size) {
	case 1:
		op_rm(j, 0, 0, 0x0fb6, RAX, addr, disp, 0);
		break;
	case 2:
		op_rm(j, 0, 0, 0x0fb7, RAX, addr, disp, 0);
		e8(j, 0x66);
		shift_imm(j, 0, 1, RAX, 8);                 /* ror ax, 8 */
		break;
	default:
		op_rm(j, 0, 0, 0x8b, RAX, addr, disp, 0);
		e8(j, 0x0f);
		e8(j, 0xc8);                                /* bswap eax */
		break;
	}
}

static void emit_depth_check(struct jx *j)
{
	uint8_t *ok;

	alu_rm(j, 1, 0x3b, RBP, CTX, RUN_OFF(depth_limit));   /* cmp rbp, [run.depth_limit] */
	ok = jump8_fwd(j, CC_A);
	call_label(j, LAB_DEPTH);
	patch8(j, ok);
}

/* x86 homes of r6..r9, bit i of a saves mask (TARGET_SAVES_SHIFT) is saved_regs[i]. */
static const uint8_t saved_regs[4] = { RBX, R13, R14, R15 };

/*
 * Before a bpf-to-bpf call: push the r6..r9 the callee may write (saves),
 * keeping rsp at 8 mod 16 before the call (an odd number of words), and
 * move r10 down one frame. lea leaves the flags alone.
 */
static void call_enter(struct jx *j, unsigned saves)
{
	if (!(__builtin_popcount(saves) & 1))
		lea(j, 1, RSP, RSP, -8);
	for (unsigned i = 0; i < 4; i++)
		if (saves & 1u << i)
			push(j, saved_regs[i]);
	lea(j, 1, RBP, RBP, -NYK_STACK_SIZE);
	if (j->checked && j->uses_fp)
		call_label(j, LAB_ZERO_FRAME);
}

static void call_leave(struct jx *j, unsigned saves)
{
	lea(j, 1, RBP, RBP, NYK_STACK_SIZE);
	for (int i = 3; i >= 0; i--)
		if (saves & 1u << i)
			pop(j, saved_regs[i]);
	if (!(__builtin_popcount(saves) & 1))
		lea(j, 1, RSP, RSP, 8);
}

/*
 * Before a helper call: what a helper may look at in the run (the budget,
 * which nyk_exec_call spends, the live frames for nyk_exec_check_mem, the
 * call depth), and the run as 6th argument.
 */
static void helper_call_setup(struct jx *j)
{
	if (j->checked)
		store64(j, CTX, RUN_OFF(budget), BUDGET);
	if (j->area) {
		lea(j, 1, T1, RBP, -NYK_STACK_SIZE);
		store64(j, CTX, RUN_OFF(stack_lo), T1);
	}
	if (j->calls) {
		load64(j, T1, CTX, RUN_OFF(stack_hi));
		alu_x(j, 1, 0x29, T1, RBP);
		shift_imm(j, 1, 5, T1, 9);                    /* frames above this one */
		op_rm(j, 0, 0, 0x89, T1, CTX, RUN_OFF(depth), 0);
	}
	mov_rr(j, 1, R9, CTX);
}

/*
 * After a helper call: the budget it left, and its nyk_exec_stop or
 * nyk_exec_fail. With bpf-to-bpf calls, a tail call made from a
 * subprogram (VM_STOP_RETURN) returns from the current function instead:
 * the function's `exit` is a `ret` and the caller's call site goes on.
 */
static void helper_call_done(struct jx *j)
{
	uint8_t *ok;

	if (j->checked)
		load64(j, BUDGET, CTX, RUN_OFF(budget));
	op_rm(j, 0, 0, 0x83, 7, CTX, RUN_OFF(stop), 0);
	e8(j, 0);                                             /* cmp dword [run.stop], 0 */
	ok = jump8_fwd(j, CC_E);
	if (j->calls) {
		op_rm(j, 0, 0, 0x83, 7, CTX, RUN_OFF(stop), 0);
		e8(j, VM_STOP_RETURN);                        /* cmp dword [run.stop], VM_STOP_RETURN */
		jump_special(j, CC_E, LAB_RETURN);
	}
	call_label(j, LAB_STOPPED);                           /* never returns */
	patch8(j, ok);
}

static void emit_callx(struct jx *j, const struct vm_insn *in)
{
	unsigned d = xreg[in->dst];
	uint8_t *h1, *h2, *h3, *done;

	mov_rr(j, 1, T2, d);
	movabs(j, T1, (uint64_t)(uintptr_t)j->vm->insns);
	alu_x(j, 1, 0x29, T2, T1);                          /* r11 -= insns */
	alu_imm(j, 1, 7, T2, (int32_t)(j->count * sizeof(struct nyk_insn)));
	h1 = jump8_fwd(j, CC_AE);
	rex(j, 0, 0, 0, T2, 0);
	e8(j, 0xf6);
	modrm_rr(j, 0, T2);
	e8(j, 7);                                            /* test r11b, 7 */
	h2 = jump8_fwd(j, CC_NE);
	movabs(j, T1, (uint64_t)(uintptr_t)j->callx_table);
	{
		/* mov r11, [r10 + r11] */
		e8(j, 0x4f);
		e8(j, 0x8b);
		e8(j, 0x1c);
		e8(j, 0x1a);
	}
	op_rr(j, 1, 0x85, T2, T2);
	h3 = jump8_fwd(j, CC_E);
	emit_depth_check(j);
	call_enter(j, SAVES_ALL);   /* any function: it may write any of r6..r9 */
	call_reg(j, T2);
	call_leave(j, SAVES_ALL);
	done = jump8_fwd(j, -1);
	patch8(j, h1);
	patch8(j, h2);
	patch8(j, h3);
	mov_rr(j, 1, T2, d);
	call_label(j, LAB_CALLX_HELPER);
	patch8(j, done);
}

/* The budget test at the first instruction of a block (checked mode). */
static void emit_budget(struct jx *j, unsigned n)
{
	uint8_t *ok;

	alu_imm(j, 1, 5, BUDGET, (int32_t)n);
	ok = jump8_fwd(j, CC_AE);
	call_label(j, LAB_BUDGET);
	patch8(j, ok);
}

static void emit_exit(struct jx *j);

/* One instruction. */
static void emit_inline_lookup(struct jx *j, size_t pc);

static void emit_insn(struct jx *j, const struct vm_insn *in)
{
	unsigned op = vm_op_first(in->op);
	unsigned d = xreg[in->dst], s = xreg[in->src];
	uint64_t imm = in->imm;

	switch (op) {
#define ALU_SIMPLE(N, EXT, OPC)                                             \
	case VM_OP_##N##64_K: alu_k(j, 1, EXT, OPC, d, imm); break;         \
	case VM_OP_##N##32_K: alu_k(j, 0, EXT, OPC, d, imm); break;         \
	case VM_OP_##N##64_X: alu_x(j, 1, OPC, d, s); break;                \
	case VM_OP_##N##32_X: alu_x(j, 0, OPC, d, s); break;
	ALU_SIMPLE(OR, 1, 0x09)
	ALU_SIMPLE(AND, 4, 0x21)
	ALU_SIMPLE(XOR, 6, 0x31)
	ALU_SIMPLE(SUB, 5, 0x29)
#undef ALU_SIMPLE
	case VM_OP_ADD64_K:
		if (!j->blind && !fits32((int64_t)imm))
			alu_imm(j, 1, 5, d, (int32_t)(0 - imm));   /* x += 2^31 is x -= -2^31 */
		else if (imm || j->blind)
			alu_k(j, 1, 0, 0x01, d, imm);
		break;
	case VM_OP_ADD32_K: alu_k(j, 0, 0, 0x01, d, imm); break;
	case VM_OP_ADD64_X: alu_x(j, 1, 0x01, d, s); break;
	case VM_OP_ADD32_X: alu_x(j, 0, 0x01, d, s); break;

	case VM_OP_MUL64_X: op_rr(j, 1, 0x0faf, d, s); break;
	case VM_OP_MUL32_X: op_rr(j, 0, 0x0faf, d, s); break;
	case VM_OP_MUL64_K:
	case VM_OP_MUL32_K: {
		int w = op == VM_OP_MUL64_K;
		if (j->blind) {
			load_const(j, T1, imm, w);
			op_rr(j, w, 0x0faf, d, T1);
		} else if (fits8((int32_t)imm)) {
			op_rr(j, w, 0x6b, d, d);
			e8(j, (uint8_t)imm);
		} else {
			op_rr(j, w, 0x69, d, d);
			e32(j, (uint32_t)imm);
		}
		break;
	}

	case VM_OP_DIV64_X: emit_divmod_x(j, 1, 0, 0, d, s); break;
	case VM_OP_DIV32_X: emit_divmod_x(j, 0, 0, 0, d, s); break;
	case VM_OP_MOD64_X: emit_divmod_x(j, 1, 0, 1, d, s); break;
	case VM_OP_MOD32_X: emit_divmod_x(j, 0, 0, 1, d, s); break;
	case VM_OP_SDIV64_X: emit_divmod_x(j, 1, 1, 0, d, s); break;
	case VM_OP_SDIV32_X: emit_divmod_x(j, 0, 1, 0, d, s); break;
	case VM_OP_SMOD64_X: emit_divmod_x(j, 1, 1, 1, d, s); break;
	case VM_OP_SMOD32_X: emit_divmod_x(j, 0, 1, 1, d, s); break;
	case VM_OP_DIV64_K: emit_divmod_k(j, 1, 0, 0, d, imm); break;
	case VM_OP_DIV32_K: emit_divmod_k(j, 0, 0, 0, d, imm); break;
	case VM_OP_MOD64_K: emit_divmod_k(j, 1, 0, 1, d, imm); break;
	case VM_OP_MOD32_K: emit_divmod_k(j, 0, 0, 1, d, imm); break;
	case VM_OP_SDIV64_K: emit_divmod_k(j, 1, 1, 0, d, imm); break;
	case VM_OP_SDIV32_K: emit_divmod_k(j, 0, 1, 0, d, imm); break;
	case VM_OP_SMOD64_K: emit_divmod_k(j, 1, 1, 1, d, imm); break;
	case VM_OP_SMOD32_K: emit_divmod_k(j, 0, 1, 1, d, imm); break;

	case VM_OP_LSH64_X: emit_shift_x(j, 1, 4, d, s); break;
	case VM_OP_LSH32_X: emit_shift_x(j, 0, 4, d, s); break;
	case VM_OP_RSH64_X: emit_shift_x(j, 1, 5, d, s); break;
	case VM_OP_RSH32_X: emit_shift_x(j, 0, 5, d, s); break;
	case VM_OP_ARSH64_X: emit_shift_x(j, 1, 7, d, s); break;
	case VM_OP_ARSH32_X: emit_shift_x(j, 0, 7, d, s); break;
	case VM_OP_LSH64_K: emit_shift_k(j, 1, 4, d, imm); break;
	case VM_OP_LSH32_K: emit_shift_k(j, 0, 4, d, imm); break;
	case VM_OP_RSH64_K: emit_shift_k(j, 1, 5, d, imm); break;
	case VM_OP_RSH32_K: emit_shift_k(j, 0, 5, d, imm); break;
	case VM_OP_ARSH64_K: emit_shift_k(j, 1, 7, d, imm); break;
	case VM_OP_ARSH32_K: emit_shift_k(j, 0, 7, d, imm); break;

	case VM_OP_MOV64_X:
		if (d != s)
			mov_rr(j, 1, d, s);
		break;
	case VM_OP_MOV32_X: mov_rr(j, 0, d, s); break;
	case VM_OP_MOV64_K:
	case VM_OP_LDDW:
		if (j->blind && imm)
			load_const(j, d, imm, 1);
		else
			mov_imm(j, d, imm);
		break;
	case VM_OP_MOV32_K:
		if (j->blind && (uint32_t)imm) {
			load_const(j, d, imm, 0);
		} else {
			mov_imm(j, d, (uint32_t)imm);
		}
		break;
	case VM_OP_MOVSX8_32: rex(j, 0, d, 0, s, s >= 4 && s <= 7); opcode(j, 0x0fbe); modrm_rr(j, d, s); break;
	case VM_OP_MOVSX16_32: op_rr(j, 0, 0x0fbf, d, s); break;
	case VM_OP_MOVSX8_64: rex(j, 1, d, 0, s, 0); opcode(j, 0x0fbe); modrm_rr(j, d, s); break;
	case VM_OP_MOVSX16_64: op_rr(j, 1, 0x0fbf, d, s); break;
	case VM_OP_MOVSX32_64: op_rr(j, 1, 0x63, d, s); break;
	case VM_OP_NEG64: op_rr(j, 1, 0xf7, 3, d); break;
	case VM_OP_NEG32: op_rr(j, 0, 0xf7, 3, d); break;

	case VM_OP_LE16: op_rr(j, 0, 0x0fb7, d, d); break;
	case VM_OP_LE32: mov_rr(j, 0, d, d); break;
	case VM_OP_LE64: break;
	case VM_OP_BE16:
	case VM_OP_BSWAP16:
		e8(j, 0x66);
		shift_imm(j, 0, 1, d, 8);                /* ror d16, 8 */
		op_rr(j, 0, 0x0fb7, d, d);               /* movzx d32, d16 */
		break;
	case VM_OP_BE32:
	case VM_OP_BSWAP32:
		rex(j, 0, 0, 0, d, 0);
		e8(j, 0x0f);
		e8(j, 0xc8 + (d & 7));
		break;
	case VM_OP_BE64:
	case VM_OP_BSWAP64:
		rex(j, 1, 0, 0, d, 0);
		e8(j, 0x0f);
		e8(j, 0xc8 + (d & 7));
		break;

	case VM_OP_JA:
	case VM_OP_JA32:
		if ((size_t)(uint32_t)in->off != j->pc + 1)
			jump_pc(j, -1, (size_t)(uint32_t)in->off);
		break;
#define JCOND(N)                                                                \
	case VM_OP_##N##_K: case VM_OP_##N##_X: case VM_OP_##N##32_K: case VM_OP_##N##32_X: \
		emit_jcond(j, in, op);                                          \
		break;
	JCOND(JEQ) JCOND(JNE) JCOND(JGT) JCOND(JGE) JCOND(JLT) JCOND(JLE)
	JCOND(JSGT) JCOND(JSGE) JCOND(JSLT) JCOND(JSLE) JCOND(JSET)
#undef JCOND

	case VM_OP_CALL:
		if (j->target[j->pc] & TARGET_INLINE) {
			emit_inline_lookup(j, j->pc);
			break;
		}
		helper_call_setup(j);
		load64(j, T1, CTX, RUN_OFF(vm));
		load64(j, T1, T1, (int32_t)offsetof(struct nyk_vm, helpers));
		op_rm(j, 0, 0, 0xff, 2, T1,
		      (int32_t)(imm * sizeof(struct vm_helper) + offsetof(struct vm_helper, fn)), 0);
		helper_call_done(j);
		break;
	case VM_OP_CALL_LOCAL: {
		unsigned saves = j->target[(uint32_t)in->off] >> TARGET_SAVES_SHIFT;
		emit_depth_check(j);
		call_enter(j, saves);
		e8(j, 0xe8);
		rel32_to(j, (uint32_t)in->off);
		call_leave(j, saves);
		break;
	}
	case VM_OP_CALLX:
		emit_callx(j, in);
		break;
	case VM_OP_EXIT:
		emit_exit(j);
		break;

	case VM_OP_LDXB: emit_load(j, d, mem_operand(j, in->src, in->off, 1, VM_LOAD), 1, 0); break;
	case VM_OP_LDXH: emit_load(j, d, mem_operand(j, in->src, in->off, 2, VM_LOAD), 2, 0); break;
	case VM_OP_LDXW: emit_load(j, d, mem_operand(j, in->src, in->off, 4, VM_LOAD), 4, 0); break;
	case VM_OP_LDXDW: emit_load(j, d, mem_operand(j, in->src, in->off, 8, VM_LOAD), 8, 0); break;
	case VM_OP_LDXSB: emit_load(j, d, mem_operand(j, in->src, in->off, 1, VM_LOAD), 1, 1); break;
	case VM_OP_LDXSH: emit_load(j, d, mem_operand(j, in->src, in->off, 2, VM_LOAD), 2, 1); break;
	case VM_OP_LDXSW: emit_load(j, d, mem_operand(j, in->src, in->off, 4, VM_LOAD), 4, 1); break;
	case VM_OP_STB: emit_store_imm(j, mem_operand(j, in->dst, in->off, 1, VM_STORE), 1, (int32_t)imm); break;
	case VM_OP_STH: emit_store_imm(j, mem_operand(j, in->dst, in->off, 2, VM_STORE), 2, (int32_t)imm); break;
	case VM_OP_STW: emit_store_imm(j, mem_operand(j, in->dst, in->off, 4, VM_STORE), 4, (int32_t)imm); break;
	case VM_OP_STDW: emit_store_imm(j, mem_operand(j, in->dst, in->off, 8, VM_STORE), 8, (int32_t)imm); break;
	case VM_OP_STXB: emit_store_reg(j, mem_operand(j, in->dst, in->off, 1, VM_STORE), 1, s); break;
	case VM_OP_STXH: emit_store_reg(j, mem_operand(j, in->dst, in->off, 2, VM_STORE), 2, s); break;
	case VM_OP_STXW: emit_store_reg(j, mem_operand(j, in->dst, in->off, 4, VM_STORE), 4, s); break;
	case VM_OP_STXDW: emit_store_reg(j, mem_operand(j, in->dst, in->off, 8, VM_STORE), 8, s); break;

#define ATOMIC(N)                                                                     \
	case VM_OP_##N##32: emit_atomic(j, in, VM_OP_##N##32, 0); break;             \
	case VM_OP_##N##64: emit_atomic(j, in, VM_OP_##N##32, 1); break;
	ATOMIC(AADD) ATOMIC(AOR) ATOMIC(AAND) ATOMIC(AXOR) ATOMIC(AFADD) ATOMIC(AFOR) ATOMIC(AFAND)
	ATOMIC(AFXOR) ATOMIC(AXCHG) ATOMIC(ACMPXCHG)
#undef ATOMIC

	case VM_OP_LDABSB: emit_ldpkt(j, in, 1, 0); break;
	case VM_OP_LDABSH: emit_ldpkt(j, in, 2, 0); break;
	case VM_OP_LDABSW: emit_ldpkt(j, in, 4, 0); break;
	case VM_OP_LDINDB: emit_ldpkt(j, in, 1, 1); break;
	case VM_OP_LDINDH: emit_ldpkt(j, in, 2, 1); break;
	case VM_OP_LDINDW: emit_ldpkt(j, in, 4, 1); break;
	default:
		/* Every row has a case; the unit tests run each one. */
		e8(j, 0x0f);
		e8(j, 0x0b);   /* ud2 */
		break;
	}
}

/* ---- prologue, epilogue, stubs -------------------------------------------------- */

static const uint8_t callee_saved[] = { RBX, RBP, R12, R13, R14, R15 };

static void emit_epilogue_tail(struct jx *j)
{
	if (j->frame_size)
		alu_imm(j, 1, 0, RSP, (int32_t)j->frame_size);
	for (int i = (int)sizeof(callee_saved) - 1; i >= 0; i--)
		if (j->pushed & (1u << callee_saved[i]))
			pop(j, callee_saved[i]);
	if (j->direct) {
		/* The direct entry: *ret = r0 when ret is not NULL, return 0. */
		op_rr(j, 1, 0x85, j->retp, j->retp);       /* test ret, ret */
		e8(j, 0x70 + CC_E);
		e8(j, 3);                                  /* jz over the store */
		op_rm(j, 1, 0, 0x89, RAX, j->retp, 0, 0);  /* mov [ret], rax (3 bytes with rdx or r9) */
		op_rr(j, 0, 0x31, RAX, RAX);
	}
	e8(j, 0xc3);
}

static void emit_exit(struct jx *j)
{
	if (j->calls) {
		e8(j, 0xc3);    /* to the caller's call, or the prologue's */
		return;
	}
	if (!j->direct)
		op_rr(j, 0, 0x31, RDX, RDX);
	if (j->checked)
		store64(j, CTX, RUN_OFF(budget), BUDGET);   /* what is left, for a nested run's caller */
	emit_epilogue_tail(j);
}

/*
 * Whether code without a run starts by setting r0 to a constant: then
 * zeroing r0 first is dead (nothing can stop the run before it).
 */
static int first_sets_r0(const struct jx *j)
{
	unsigned op = vm_op_first(j->code[0].op);

	return j->direct && j->count && j->code[0].dst == 0 &&
	       (op == VM_OP_MOV64_K || op == VM_OP_MOV32_K || op == VM_OP_LDDW);
}

static void emit_prologue(struct jx *j)
{
	unsigned npush = 0, target;

	if (j->direct) {
		/*
		 * ret, for the epilogue: it stays in rdx unless the program uses
		 * r3 (nothing else in code without a run writes rdx; divisions
		 * save it), else r9 (no budget or helpers here).
		 */
		j->retp = j->regs_used & (1u << 3) ? R9 : RDX;
		if (j->retp != RDX)
			mov_rr(j, 1, j->retp, RDX);
	}

	for (size_t i = 0; i < sizeof(callee_saved); i++) {
		unsigned r = callee_saved[i];
		int need = 0;
		switch (r) {
		case RBX: need = !!(j->regs_used & (1u << 6)); break;
		case RBP: need = j->area; break;
		case R12: need = j->ctx; break;
		case R13: need = !!(j->regs_used & (1u << 7)); break;
		case R14: need = !!(j->regs_used & (1u << 8)); break;
		case R15: need = !!(j->regs_used & (1u << 9)); break;
		}
		if (j->calls && (r == RBX || r == R13 || r == R14 || r == R15))
			need = 1;   /* call sites push them */
		if (need) {
			push(j, r);
			j->pushed |= 1u << r;
			npush++;
		}
	}
	/*
	 * At entry rsp = 8 mod 16. Body code that calls C (helpers, callx)
	 * runs at 0 mod 16: directly, or after `call body`. The frames are
	 * 16-byte aligned (the checked zeroing stores 16 bytes at a time).
	 */
	target = j->calls ? 8 : 0;
	{
		unsigned at = (8 + 8 * npush) % 16, need = (at + 16 - target) % 16;
		uint32_t size = 0;
		if (j->area) {
			/* frames at [rsp + lo, rsp + lo + 4096): rbp = rsp + lo + 4096, 16-byte aligned */
			j->area_lo = (16 - target) % 16;
			size = VM_STACK_BYTES + j->area_lo;
		}
		if (size % 16 != need && (j->helpers || j->calls || j->area))
			size += 8;
		j->frame_size = size;
	}
	if (j->frame_size)
		alu_imm(j, 1, 5, RSP, (int32_t)j->frame_size);
	if (j->ctx) {
		mov_rr(j, 1, CTX, RDX);
		store64(j, CTX, RUN_OFF(saved_sp), RSP);
	}
	if (j->area) {
		lea(j, 1, RBP, RSP, (int32_t)(j->area_lo + VM_STACK_BYTES));
		if (j->ctx) {
			store64(j, CTX, RUN_OFF(stack_hi), RBP);
			lea(j, 1, T1, RBP, -NYK_STACK_SIZE);
			store64(j, CTX, RUN_OFF(stack_lo), T1);
			lea(j, 1, T1, RSP, (int32_t)(j->area_lo + NYK_STACK_SIZE));
			if (j->calls && j->helpers) {
				/*
				 * A nested run (a tail call's target) has depth_base
				 * frames fewer: the limit is that many frames higher.
				 */
				op_rm(j, 0, 0, 0x8b, T2, CTX, RUN_OFF(depth_base), 0);
				shift_imm(j, 1, 4, T2, 9);
				alu_x(j, 1, 0x01, T1, T2);
			}
			store64(j, CTX, RUN_OFF(depth_limit), T1);
		}
	}
	for (unsigned r = 0; r < NYK_REG_COUNT; r++)
		if (r != 1 && r != 2 && r != 10 && ((j->regs_used & (1u << r)) || r == 0 || (r == 3 && j->ctx)) &&
		    !(r == 0 && first_sets_r0(j)))
			op_rr(j, 0, 0x31, xreg[r], xreg[r]);
	if (j->checked)
		load64(j, BUDGET, CTX, RUN_OFF(budget));
	if (j->checked && j->uses_fp)
		call_label(j, LAB_ZERO_FRAME);
	if (j->calls) {
		call_label(j, LAB_BODY);
		jump_special(j, -1, LAB_EPILOGUE_OK);
	}
}

static void emit_stubs(struct jx *j)
{

	place(j, lab_index(j, LAB_EPILOGUE_OK));
	if (!j->direct)
		op_rr(j, 0, 0x31, RDX, RDX);   /* rc 0 (the direct entry returns 0 in eax, ret may be in rdx) */
	if (j->checked)
		store64(j, CTX, RUN_OFF(budget), BUDGET);   /* what is left, for a nested run's caller */
	place(j, lab_index(j, LAB_EPILOGUE));
	emit_epilogue_tail(j);
	if (!j->ctx)
		return;

	place(j, lab_index(j, LAB_UNWIND));
	mov_rr(j, 1, RDX, RAX);
	load64(j, RSP, CTX, RUN_OFF(saved_sp));
	jump_special(j, -1, LAB_EPILOGUE);

	place(j, lab_index(j, LAB_PKT_ZERO));
	op_rr(j, 0, 0x31, RAX, RAX);
	op_rr(j, 0, 0x31, RDX, RDX);
	if (j->checked)
		store64(j, CTX, RUN_OFF(budget), BUDGET);
	load64(j, RSP, CTX, RUN_OFF(saved_sp));
	jump_special(j, -1, LAB_EPILOGUE);

	place(j, lab_index(j, LAB_STOPPED));
	{
		/*
		 * VM_STOP_EXIT, or VM_STOP_RETURN at a call site of code without
		 * bpf-to-bpf calls (the entry function of a nested run: its
		 * return ends the run): r0 = stop_value.
		 */
		uint8_t *fault;
		op_rm(j, 0, 0, 0x83, 7, CTX, RUN_OFF(stop), 0);
		e8(j, VM_STOP_FAULT);                             /* cmp dword [run.stop], VM_STOP_FAULT */
		fault = jump8_fwd(j, CC_E);
		load64(j, RAX, CTX, RUN_OFF(stop_value));
		op_rr(j, 0, 0x31, RDX, RDX);
		load64(j, RSP, CTX, RUN_OFF(saved_sp));
		jump_special(j, -1, LAB_EPILOGUE);
		patch8(j, fault);
		mov_imm(j, T1, VM_JIT_STOPPED);                   /* [rsp]: the call site, for nyk_exec_fail */
		jump_special(j, -1, LAB_FAULT);
	}

	/* vm_jit_fault(run, r10 = kind, r11 = value, return address, rbp, r9 = budget) */
	place(j, lab_index(j, LAB_FAULT));
	mov_rr(j, 1, RDI, CTX);
	mov_rr(j, 1, RSI, T1);
	mov_rr(j, 1, RDX, T2);
	load64(j, RCX, RSP, 0);
	mov_rr(j, 1, R8, RBP);
	alu_imm(j, 1, 4, RSP, -16);
	call_abs(j, RAX, (const void *)vm_jit_fault);
	jump_special(j, -1, LAB_UNWIND);

	place(j, lab_index(j, LAB_BUDGET));
	mov_imm(j, T1, VM_JIT_BUDGET);
	jump_special(j, -1, LAB_FAULT);
	place(j, lab_index(j, LAB_DEPTH));
	mov_imm(j, T1, VM_JIT_DEPTH);
	jump_special(j, -1, LAB_FAULT);
	place(j, lab_index(j, LAB_MISALIGNED4));
	mov_imm(j, T1, VM_JIT_MISALIGNED | 4u << 8);
	jump_special(j, -1, LAB_FAULT);
	place(j, lab_index(j, LAB_MISALIGNED8));
	mov_imm(j, T1, VM_JIT_MISALIGNED | 8u << 8);
	jump_special(j, -1, LAB_FAULT);

	if (j->checked) {
		uint8_t *slow;
			/* Entries per (access, size): r10 = size | access << 8. */
		for (unsigned k = 0; k < 3; k++) {
			for (unsigned sz = 0; sz < 4; sz++) {
				place(j, lab_index(j, LAB_CHECK_FIRST + 4 * k + sz));
				mov_imm(j, T1, (1u << sz) | k << 8);
				jump_special(j, -1, LAB_CHECK);
			}
		}
			place(j, lab_index(j, LAB_CHECK));
		slow = NULL;
		if (j->area) {
			/* In the live frames? ok iff addr - lo <= stack_hi - lo - size, lo = rbp - 512. */
			push(j, RAX);
			push(j, RCX);
			op_rr(j, 0, 0x0fb6, RCX, T1);               /* movzx ecx, r10b: size */
			op_rr(j, 1, 0xf7, 3, RCX);                   /* neg rcx */
			alu_rm(j, 1, 0x03, RCX, CTX, RUN_OFF(stack_hi)); /* rcx = stack_hi - size */
			lea(j, 1, RAX, RBP, -NYK_STACK_SIZE);
			alu_x(j, 1, 0x29, RCX, RAX);                 /* rcx -= lo */
			op_rr(j, 1, 0xf7, 3, RAX);                   /* rax = -lo */
			alu_x(j, 1, 0x01, RAX, T2);                  /* rax = addr - lo */
			op_rr(j, 1, 0x39, RCX, RAX);                 /* cmp rax, rcx */
			pop(j, RCX);
			pop(j, RAX);
			slow = jump8_fwd(j, CC_A);
			e8(j, 0xc3);
			patch8(j, slow);
		}
		/* Regions (or the fault) in C, every volatile register saved. */
		{
			static const uint8_t saved[] = { RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11 };
			uint8_t *fail;
			for (size_t i = 0; i < sizeof(saved); i++)
				push(j, saved[i]);
			mov_rr(j, 1, RDI, CTX);
			mov_rr(j, 1, RSI, T1);
			mov_rr(j, 1, RDX, T2);
			load64(j, RCX, RSP, 8 * (int32_t)sizeof(saved));
			mov_rr(j, 1, R8, RBP);
			push(j, RBX);
			mov_rr(j, 1, RBX, RSP);
			alu_imm(j, 1, 4, RSP, -16);
			call_abs(j, RAX, (const void *)vm_jit_check_access);
			mov_rr(j, 1, RSP, RBX);
			pop(j, RBX);
			op_rr(j, 1, 0x85, RAX, RAX);
			fail = jump8_fwd(j, CC_NE);
			for (int i = (int)sizeof(saved) - 1; i >= 0; i--)
				pop(j, saved[i]);
			e8(j, 0xc3);
			patch8(j, fail);
			jump_special(j, -1, LAB_UNWIND);
		}
	}

	if (j->calls) {
		/* callx of a helper id in r11 */
		uint8_t *fault, *ok;
		static const uint8_t args[] = { RDI, RSI, RDX, RCX, R8, R11 };
			place(j, lab_index(j, LAB_CALLX_HELPER));
		for (size_t i = 0; i < sizeof(args); i++)
			push(j, args[i]);
		if (j->checked)
			store64(j, CTX, RUN_OFF(budget), BUDGET);
		alu_imm(j, 1, 5, RSP, 8);
		mov_rr(j, 1, RDI, CTX);
		mov_rr(j, 1, RSI, T2);
		call_abs(j, RAX, (const void *)vm_jit_callx_helper);
		alu_imm(j, 1, 0, RSP, 8);
		for (int i = (int)sizeof(args) - 1; i >= 0; i--)
			pop(j, args[i]);
		op_rr(j, 1, 0x85, RAX, RAX);
		fault = jump8_fwd(j, CC_E);
		alu_imm(j, 1, 5, RSP, 8);
		if (j->area) {
			lea(j, 1, T1, RBP, -NYK_STACK_SIZE);
			store64(j, CTX, RUN_OFF(stack_lo), T1);
		}
		load64(j, T1, CTX, RUN_OFF(stack_hi));
		alu_x(j, 1, 0x29, T1, RBP);
		shift_imm(j, 1, 5, T1, 9);
		op_rm(j, 0, 0, 0x89, T1, CTX, RUN_OFF(depth), 0);
		mov_rr(j, 1, R9, CTX);
		call_reg(j, RAX);
		alu_imm(j, 1, 0, RSP, 8);
		if (j->checked)
			load64(j, BUDGET, CTX, RUN_OFF(budget));
		op_rm(j, 0, 0, 0x83, 7, CTX, RUN_OFF(stop), 0);
		e8(j, 0);
		ok = jump8_fwd(j, CC_E);
		op_rm(j, 0, 0, 0x83, 7, CTX, RUN_OFF(stop), 0);
		e8(j, VM_STOP_RETURN);
		jump_special(j, CC_NE, LAB_STOPPED);
		alu_imm(j, 1, 0, RSP, 8);                     /* a tail call: drop the return into the callx site */
		jump_special(j, -1, LAB_RETURN);
		patch8(j, ok);
		e8(j, 0xc3);
		patch8(j, fault);
		if (j->checked)
			load64(j, BUDGET, CTX, RUN_OFF(budget));
		mov_imm(j, T1, VM_JIT_CALLX);
		jump_special(j, -1, LAB_FAULT);
	}

	if (j->calls) {
		/* VM_STOP_RETURN: clear it, r0 = the tail call's result, return as `exit` does */
		place(j, lab_index(j, LAB_RETURN));
		op_rr(j, 0, 0x31, T1, T1);
		op_rm(j, 0, 0, 0x89, T1, CTX, RUN_OFF(stop), 0);
		load64(j, RAX, CTX, RUN_OFF(stop_value));
		e8(j, 0xc3);
	}

	if (j->checked && j->uses_fp) {
		/* zero [rbp - 512, rbp) */
			place(j, lab_index(j, LAB_ZERO_FRAME));
		e8(j, 0x0f);
		e8(j, 0x57);
		e8(j, 0xc0);                                  /* xorps xmm0, xmm0 */
		for (int32_t o = -NYK_STACK_SIZE; o < 0; o += 16) {
			e8(j, 0x0f);
			e8(j, 0x29);                          /* movaps [rbp + o], xmm0 */
			modrm_mem(j, 0, RBP, o);
		}
		e8(j, 0xc3);
	}
}

/* ---- analysis and the passes ------------------------------------------------------- */


/* vm_op_first for every byte (ops past VM_OP_COUNT never occur): no bounds test in the loops. */
#define FIRST_SELF(name, opcode, sel) [VM_OP_##name] = VM_OP_##name,
#define FIRST_FUSED(name, first, second) [VM_OP_##name] = VM_OP_##first,
static const uint8_t op_first[256] = { VM_OPS(FIRST_SELF) VM_FUSED_OPS(FIRST_FUSED) };
#undef FIRST_SELF
#undef FIRST_FUSED

/* What each operation does to the flags (by the slot's op; superinstructions: their first half), for track_zf. */
enum {
	OI_ZF64 = 1,      /* leaves ZF telling whether the 64-bit dst is 0 */
	OI_ZF32 = 2,      /* the same for the 32-bit dst */
	OI_ZFADD = 4,     /* ADD64_K: OI_ZF64 when it emits code (see track_zf) */
	OI_MOVE = 8,      /* keeps the flags, changes dst */
};

#define OI_OF_ADD64_K OI_ZFADD
#define OI_OF_ADD64_X OI_ZF64
#define OI_FUSED(name, first, second) [VM_OP_##name] = OI_OF_##first,
static const uint8_t op_info[256] = {
	[VM_OP_ADD64_K] = OI_ZFADD, [VM_OP_ADD64_X] = OI_ZF64,
	[VM_OP_SUB64_K] = OI_ZF64, [VM_OP_SUB64_X] = OI_ZF64, [VM_OP_AND64_K] = OI_ZF64, [VM_OP_AND64_X] = OI_ZF64,
	[VM_OP_OR64_K] = OI_ZF64, [VM_OP_OR64_X] = OI_ZF64, [VM_OP_XOR64_K] = OI_ZF64, [VM_OP_XOR64_X] = OI_ZF64,
	[VM_OP_ADD32_K] = OI_ZF32, [VM_OP_ADD32_X] = OI_ZF32, [VM_OP_SUB32_K] = OI_ZF32, [VM_OP_SUB32_X] = OI_ZF32,
	[VM_OP_AND32_K] = OI_ZF32, [VM_OP_AND32_X] = OI_ZF32, [VM_OP_OR32_K] = OI_ZF32, [VM_OP_OR32_X] = OI_ZF32,
	[VM_OP_XOR32_K] = OI_ZF32, [VM_OP_XOR32_X] = OI_ZF32,
	[VM_OP_MOV64_X] = OI_MOVE, [VM_OP_MOV32_X] = OI_MOVE,
	VM_FUSED_OPS(OI_FUSED)
};
#undef OI_FUSED

/*
 * What the program uses, and where jumps land: the loader found it out in
 * its pass (struct vm_facts), so compiling makes no pass of its own.
 * target[] is a copy (the inline lookups mark it too).
 */
/* Which of r6..r9 (bits 0..3) the instruction writes itself (not through a call). */
static unsigned insn_writes(const struct nyk_insn *in)
{
	unsigned cls = in->opcode & 7, r = 0;

	switch (cls) {
	case NYK_CLASS_LD: case NYK_CLASS_LDX: case NYK_CLASS_ALU: case NYK_CLASS_ALU64:
		r = nyk_insn_dst(in);
		break;
	case NYK_CLASS_STX:
		/* atomics with fetch (and xchg) write src; cmpxchg writes r0 */
		if ((in->opcode & 0xe0) == NYK_MODE_ATOMIC && (in->imm & NYK_ATOMIC_FETCH))
			r = nyk_insn_src(in);
		break;
	default:
		break;
	}
	return r >= 6 && r <= 9 ? 1u << (r - 6) : 0;
}

/* The function (index into starts[0..n)) that pc belongs to: the last start at or before it. */
static size_t fn_of(const uint32_t *starts, size_t n, size_t pc)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * What each call site must push: for each function, the r6..r9 that it
 * or any function it calls may write (callx: all). The x86 homes of r6..r9
 * are callee-saved in the host ABI, so helpers keep them. Functions are
 * the ranges between entry points; a jump out of its range or a fall
 * into the next one makes every call save all four, as before.
 */
static void compute_saves(struct jx *j)
{
	const struct nyk_vm *vm = j->vm;
	const struct nyk_insn *ins = vm->insns;
	uint32_t *starts = NULL, (*edges)[2] = NULL;
	uint8_t *mask = NULL;
	size_t nf = 0, ne = 0, k = 0;
	int changed, all = 0;

	for (size_t pc = 0; pc < j->count; pc++) {
		nf += vm->entry[pc] != 0;
		ne += vm_op_first(vm->code[pc].op) == VM_OP_CALL_LOCAL;
	}
	starts = malloc((nf ? nf : 1) * sizeof(*starts));
	mask = calloc(nf ? nf : 1, 1);
	edges = malloc((ne ? ne : 1) * sizeof(*edges));
	if (!starts || !mask || !edges || !nf || !vm->entry[0]) {
		all = 1;
		goto out;
	}
	for (size_t pc = 0; pc < j->count; pc++)
		if (vm->entry[pc])
			starts[k++] = (uint32_t)pc;
	ne = 0;
	for (size_t pc = 0, f = 0; pc < j->count; pc += nyk_insn_slots(&ins[pc])) {
		const struct vm_insn *in = &vm->code[pc];
		size_t next = pc + nyk_insn_slots(&ins[pc]);
		unsigned cls = ins[pc].opcode & 7, op = vm_op_first(in->op);

		while (f + 1 < nf && starts[f + 1] <= pc)
			f++;
		mask[f] |= (uint8_t)insn_writes(&ins[pc]);
		if (op == VM_OP_CALLX)
			mask[f] = SAVES_ALL;
		if (op == VM_OP_CALL_LOCAL) {
			edges[ne][0] = (uint32_t)f;
			edges[ne++][1] = (uint32_t)fn_of(starts, nf, (uint32_t)in->off);
		} else if ((cls == NYK_CLASS_JMP || cls == NYK_CLASS_JMP32) && (ins[pc].opcode & 0xf0) != 0x80 &&
			   (ins[pc].opcode & 0xf0) != 0x90) {
			/* a jump (not call, not exit): it must stay in its function */
			int64_t t = (int64_t)pc + 1 +
				    (cls == NYK_CLASS_JMP32 && (ins[pc].opcode & 0xf0) == 0 ? ins[pc].imm : ins[pc].off);
			if (t < 0 || (size_t)t >= j->count || fn_of(starts, nf, (size_t)t) != f)
				all = 1;
		}
		/* the last instruction before the next function must not fall into it */
		if (f + 1 < nf && next == starts[f + 1] &&
		    !((cls == NYK_CLASS_JMP && ((ins[pc].opcode & 0xf0) == 0x90 || ins[pc].opcode == 0x05)) ||
		      ins[pc].opcode == 0x06))
			all = 1;
	}
	do {   /* what a callee may write, its callers may write too */
		changed = 0;
		for (size_t e = 0; e < ne; e++) {
			uint8_t m = mask[edges[e][0]] | mask[edges[e][1]];
			if (m != mask[edges[e][0]]) {
				mask[edges[e][0]] = m;
				changed = 1;
			}
		}
	} while (changed);
out:
	for (size_t pc = 0, f = 0; pc < j->count; pc++)
		if (vm->entry[pc])
			j->target[pc] |= (uint8_t)((all ? SAVES_ALL : mask[f++]) << TARGET_SAVES_SHIFT);
	free(starts);
	free(mask);
	free(edges);
}

static void analyse(struct jx *j)
{
	const struct vm_facts *f = &j->vm->facts;

	memcpy(j->target, f->land, j->count);
	j->target[j->count] = 0;
	j->calls = f->local_calls || f->callx;
	j->helpers = f->helper_calls || f->callx;
	j->helper_calls = f->helper_calls;
	j->packet = f->packet;
	j->ctx = j->calls || j->helpers || j->packet || j->checked;
	j->uses_fp = !!(f->regs_used & (1u << NYK_REG_FP));
	j->area = j->uses_fp || j->calls;
	j->regs_used = f->regs_used & ((1u << NYK_REG_COUNT) - 1);
	if (j->calls)
		compute_saves(j);
}

/*
 * The array map whose bpf_map_lookup_elem the call at `pc` can compile
 * inline: `lddw r1, map` right before it (no jump lands on the call), the
 * map a plain array, the helper nyuki's. Fills *layout, returns 1.
 */
static int inline_lookup_at(const struct jx *j, size_t pc, struct map_array_layout *layout)
{
	const struct vm_insn *ld;
	unsigned src;

	if (pc < 2 || (j->target[pc] & ~TARGET_INLINE) || j->vm->helpers[j->code[pc].imm].fn != j->lookup_fn)
		return 0;
	ld = &j->code[pc - 2];
	if (vm_op_first(ld->op) != VM_OP_LDDW || ld->dst != 1)
		return 0;
	/* Only the loader's map sources promise a struct nyk_map: anything else may be any number. */
	src = nyk_insn_src(&j->vm->insns[pc - 2]);
	if (src != NYK_PSEUDO_MAP_FD && src != NYK_PSEUDO_MAP_IDX)
		return 0;
	if (!map_array_layout((const struct nyk_map *)(uintptr_t)ld->imm, layout))
		return 0;
	return layout->stride <= INT32_MAX;
}

/*
 * Unchecked and unblinded code computes array lookups inline (the helper
 * trusts the map and the key there too). When that leaves no helper call,
 * the program no longer needs the run.
 */
static void find_inline_lookups(struct jx *j)
{
	struct map_array_layout layout;

	if (j->checked || j->blind || !j->helper_calls || !(j->lookup_fn = nyk_helper_fn_of(1)))
		return;
	for (size_t pc = 2; pc < j->count; pc++) {
		if (vm_op_first(j->code[pc].op) == VM_OP_CALL && inline_lookup_at(j, pc, &layout)) {
			j->target[pc] |= TARGET_INLINE;
			j->inlined++;
		}
	}
	if (j->inlined == j->helper_calls && !j->calls && !j->packet) {
		j->helpers = 0;
		j->ctx = 0;
	}
}

/*
 * bpf_map_lookup_elem(map, key) on a plain array, as the helper computes
 * it in unchecked runs: NULL for a NULL key or an index out of range,
 * else values + index * stride.
 */
static void emit_inline_lookup(struct jx *j, size_t pc)
{
	struct map_array_layout layout;
	uint8_t *null_key, *out_of_range;
	struct ib b = { 0, 0, 0 };

	inline_lookup_at(j, pc, &layout);   /* succeeded in find_inline_lookups */
	op_rr(j, 0, 0x31, RAX, RAX);                         /* xor eax, eax */
	op_rr(j, 1, 0x85, RSI, RSI);                         /* test rsi, rsi */
	null_key = jump8_fwd(j, CC_E);
	op_rm(j, 0, 0, 0x8b, T2, RSI, 0, 0);                 /* mov r11d, [rsi] */
	alu_imm(j, 0, 7, T2, (int32_t)layout.max_entries);   /* cmp r11d, max_entries */
	out_of_range = jump8_fwd(j, CC_AE);
	if (!(layout.stride & (layout.stride - 1))) {
		shift_imm(j, 1, 4, T2, (unsigned)__builtin_ctzll(layout.stride));   /* shl r11, log2 stride */
	} else {
		ib_rex(&b, 1, T2, 0, T2, 0);
		ib_byte(&b, 0x69);
		ib_byte(&b, 0xc0 | (T2 & 7) << 3 | (T2 & 7));    /* imul r11, r11, stride */
		ib_put(j, &b);
		e32(j, (uint32_t)layout.stride);
	}
	movabs(j, RAX, (uint64_t)(uintptr_t)layout.values);
	op_rr(j, 1, 0x01, T2, RAX);                          /* add rax, r11 */
	patch8(j, null_key);
	patch8(j, out_of_range);
}

/* Whether slot pc can join the instruction before it: no jump lands there, no budget block starts there. */
static int joinable(const struct jx *j, size_t pc)
{
	return pc < j->count && !j->target[pc] && !(j->checked && j->block_len[pc]);
}

/*
 * Where a slot may join the one before it (see joinable), from the
 * arrays rather than j: emit_body's loop reads them from registers.
 */
JX_INLINE int can_join(const uint8_t *target, const uint8_t *block_len, size_t count, size_t pc)
{
	return pc < count && !target[pc] && !(block_len && block_len[pc]);
}

/*
 * `mov d, s` followed by `add d, t` (or `add d, k`) that no jump lands on
 * (`block_len`: NULL unless checked): one `lea d, [s + t]` (or `[s + k]`);
 * `mov d, s; add d, k; add d, t` (t not d), as clang indexes the stack:
 * one `lea d, [s + t + k]`. Gathers the code in *b and returns how many
 * slots after `in` (slot pc, a MOV64_X) it covers; 0: no lea.
 */
JX_INLINE int fuse_lea(const uint8_t *target, const uint8_t *block_len, size_t count, int blind,
		       const struct vm_insn *in, size_t pc, struct ib *b)
{
	const struct vm_insn *next = in + 1;
	unsigned op2, d, s, t;

	if (!can_join(target, block_len, count, pc + 1) || next->dst != in->dst || in->dst == in->src)
		return 0;
	op2 = op_first[next->op];
	d = xreg[in->dst];
	s = xreg[in->src];
	if (op2 == VM_OP_ADD64_K && !blind && fits32((int64_t)next->imm) && next->imm) {
		const struct vm_insn *x = in + 2;
		int32_t disp = (int32_t)next->imm;
		if (!can_join(target, block_len, count, pc + 2) || op_first[x->op] != VM_OP_ADD64_X ||
		    x->dst != in->dst || x->src == in->dst) {
			*b = ib_rm(1, 0, 0x8d, d, s, disp, 0);   /* lea d, [s + k] */
			return 1;
		}
		t = xreg[x->src];
		*b = (struct ib){ 0, 0, 0 };
		ib_rex(b, 1, d, t, s, 0);
		ib_byte(b, 0x8d);
		ib_byte(b, (fits8(disp) ? 0x44u : 0x84u) | (d & 7) << 3);   /* mod 01/10, rm = SIB */
		ib_byte(b, (t & 7) << 3 | (s & 7));                           /* scale 1, index t, base s */
		if (fits8(disp))
			ib_byte(b, (uint8_t)disp);
		else
			ib_u32(b, (uint32_t)disp);
		return 2;
	}
	if (op2 != VM_OP_ADD64_X)
		return 0;
	t = next->src == next->dst ? s : xreg[next->src];   /* add d, d after mov d, s: s + s */
	if ((s & 7) == 5) {   /* rbp/r13 as base need a displacement; as index they do not */
		unsigned x = s;
		s = t;
		t = x;
	}
	*b = (struct ib){ 0, 0, 0 };
	ib_rex(b, 1, d, t, s, 0);
	ib_byte(b, 0x8d);
	if ((s & 7) == 5) {
		ib_byte(b, 0x44 | (d & 7) << 3);
		ib_byte(b, (t & 7) << 3 | (s & 7));
		ib_byte(b, 0);
	} else {
		ib_byte(b, 0x04 | (d & 7) << 3);                 /* lea d, [s + t] */
		ib_byte(b, (t & 7) << 3 | (s & 7));
	}
	return 1;
}

/* fuse_lea in j's terms: emits the lea; returns the slots covered after `in` (0: nothing emitted). */
static int fuse_mov_add(struct jx *j, const struct vm_insn *in, size_t pc)
{
	struct ib b;
	int n;

	if (op_first[in->op] != VM_OP_MOV64_X)
		return 0;
	n = fuse_lea(j->target, j->checked ? j->block_len : NULL, j->count, j->blind, in, pc, &b);
	if (n)
		ib_put(j, &b);
	return n;
}

/*
 * What the flags say after `in` (emit_insn's code): add/sub/and/or/xor
 * leave ZF telling whether their dst is 0 (*zf_reg, a zf_w-bit result);
 * moves keep the flags but may change the register they describe;
 * anything else forgets them (*zf_reg = -1).
 */
JX_INLINE void track_zf(const struct vm_insn *in, int blind, int *zf_reg, int *zf_w)
{
	unsigned info = op_info[in->op];
	int d = (int)xreg[in->dst];

	if ((info & OI_ZFADD) && (in->imm || blind))
		info = OI_ZF64;   /* else no code: forgets, as an unknown op would */
	if (info & (OI_ZF64 | OI_ZF32)) {
		*zf_reg = d;
		*zf_w = !!(info & OI_ZF64);
	} else if (!(info & OI_MOVE) || *zf_reg == d) {
		*zf_reg = -1;
	}
}

/*
 * The instructions most programs are mostly made of, encoded without a
 * call so that emit_body keeps its cursor in a register: gathers the code
 * of `in` (op: its first operation) in *b, updates the flags state
 * (*zf_reg, *zf_w: what track_zf would say) and returns 1; or returns 0
 * when emit_insn must compile it: any other op, constants when blinding,
 * accesses in checked mode. The code is exactly emit_insn's for the slot
 * (moves: when fuse_lea made no lea of them).
 */
JX_INLINE int emit_common(const struct vm_insn *in, unsigned op, int blind, int checked, struct ib *b,
			  int *zf_reg, int *zf_w)
{
	unsigned d = xreg[in->dst], s = xreg[in->src];
	uint64_t imm = in->imm;

#define ZF_SET(w) (*zf_reg = (int)d, *zf_w = (w))
#define ZF_FORGET() (*zf_reg = -1)
	switch (op) {
#define ALU_COMMON(N, EXT, OPC)                                                                          \
	case VM_OP_##N##64_X: *b = ib_rr(1, OPC, s, d); ZF_SET(1); return 1;                             \
	case VM_OP_##N##32_X: *b = ib_rr(0, OPC, s, d); ZF_SET(0); return 1;                             \
	case VM_OP_##N##64_K:                                                                            \
		if (blind)                                                                               \
			return 0;                                                                        \
		*b = ib_alu_imm(1, EXT, d, (int32_t)imm);                                                \
		ZF_SET(1);                                                                               \
		return 1;                                                                                \
	case VM_OP_##N##32_K:                                                                            \
		if (blind)                                                                               \
			return 0;                                                                        \
		*b = ib_alu_imm(0, EXT, d, (int32_t)imm);                                                \
		ZF_SET(0);                                                                               \
		return 1;
	ALU_COMMON(OR, 1, 0x09)
	ALU_COMMON(AND, 4, 0x21)
	ALU_COMMON(XOR, 6, 0x31)
	ALU_COMMON(SUB, 5, 0x29)
#undef ALU_COMMON
	case VM_OP_ADD64_X: *b = ib_rr(1, 0x01, s, d); ZF_SET(1); return 1;
	case VM_OP_ADD32_X: *b = ib_rr(0, 0x01, s, d); ZF_SET(0); return 1;
	case VM_OP_ADD64_K:
		if (blind)
			return 0;
		if (!fits32((int64_t)imm)) {
			*b = ib_alu_imm(1, 5, d, (int32_t)(0 - imm));   /* x += 2^31 is x -= -2^31 */
			ZF_SET(1);
		} else if (imm) {
			*b = ib_alu_imm(1, 0, d, (int32_t)imm);
			ZF_SET(1);
		} else {
			*b = (struct ib){ 0, 0, 0 };
			ZF_FORGET();
		}
		return 1;
	case VM_OP_ADD32_K:
		if (blind)
			return 0;
		*b = ib_alu_imm(0, 0, d, (int32_t)imm);
		ZF_SET(0);
		return 1;
	case VM_OP_MOV64_X:   /* not fused into a lea (emit_body tried) */
		*b = d != s ? ib_rr(1, 0x89, s, d) : (struct ib){ 0, 0, 0 };
		if (*zf_reg == (int)d)
			ZF_FORGET();
		return 1;
	case VM_OP_MOV32_X:
		*b = ib_rr(0, 0x89, s, d);
		if (*zf_reg == (int)d)
			ZF_FORGET();
		return 1;

	/* The rest leave no flags worth knowing (one switch: one indirect branch to predict). */
	case VM_OP_MUL64_X: *b = ib_rr(1, 0x0faf, d, s); break;
	case VM_OP_MUL32_X: *b = ib_rr(0, 0x0faf, d, s); break;
	case VM_OP_MUL64_K:
	case VM_OP_MUL32_K:
		if (blind)
			return 0;
		if (fits8((int32_t)imm)) {
			*b = ib_rr(op == VM_OP_MUL64_K, 0x6b, d, d);
			ib_byte(b, (uint8_t)imm);
		} else {
			*b = ib_rr(op == VM_OP_MUL64_K, 0x69, d, d);
			ib_u32(b, (uint32_t)imm);
		}
		break;
#define SHIFT_COMMON(N, EXT)                                                        \
	case VM_OP_##N##64_K:                                                       \
		*b = imm & 63 ? ib_shift_imm(1, EXT, d, (unsigned)imm & 63)         \
			      : (struct ib){ 0, 0, 0 };                             \
		break;                                                              \
	case VM_OP_##N##32_K:                                                       \
		*b = imm & 31 ? ib_shift_imm(0, EXT, d, (unsigned)imm & 31)         \
			      : ib_rr(0, 0x89, d, d);   /* mov d32, d32 */          \
		break;
	SHIFT_COMMON(LSH, 4)
	SHIFT_COMMON(RSH, 5)
	SHIFT_COMMON(ARSH, 7)
#undef SHIFT_COMMON
	case VM_OP_NEG64: *b = ib_rr(1, 0xf7, 3, d); break;
	case VM_OP_NEG32: *b = ib_rr(0, 0xf7, 3, d); break;
	case VM_OP_MOV64_K:
	case VM_OP_LDDW:
		if (blind && imm)
			return 0;
		*b = ib_mov_imm(d, imm);
		break;
	case VM_OP_MOV32_K:
		if (blind && (uint32_t)imm)
			return 0;
		*b = ib_mov_imm(d, (uint32_t)imm);
		break;
	case VM_OP_LDXB: if (checked) return 0; *b = ib_rm(0, 0, 0x0fb6, d, s, in->off, 0); break;
	case VM_OP_LDXH: if (checked) return 0; *b = ib_rm(0, 0, 0x0fb7, d, s, in->off, 0); break;
	case VM_OP_LDXW: if (checked) return 0; *b = ib_rm(0, 0, 0x8b, d, s, in->off, 0); break;
	case VM_OP_LDXDW: if (checked) return 0; *b = ib_rm(1, 0, 0x8b, d, s, in->off, 0); break;
	case VM_OP_LDXSB: if (checked) return 0; *b = ib_rm(1, 0, 0x0fbe, d, s, in->off, 0); break;
	case VM_OP_LDXSH: if (checked) return 0; *b = ib_rm(1, 0, 0x0fbf, d, s, in->off, 0); break;
	case VM_OP_LDXSW: if (checked) return 0; *b = ib_rm(1, 0, 0x63, d, s, in->off, 0); break;
	case VM_OP_STXB: if (checked) return 0; *b = ib_rm(0, 0, 0x88, s, d, in->off, 1); break;
	case VM_OP_STXH: if (checked) return 0; *b = ib_rm(0, 1, 0x89, s, d, in->off, 0); break;
	case VM_OP_STXW: if (checked) return 0; *b = ib_rm(0, 0, 0x89, s, d, in->off, 0); break;
	case VM_OP_STXDW: if (checked) return 0; *b = ib_rm(1, 0, 0x89, s, d, in->off, 0); break;
	default:
		return 0;
	}
	ZF_FORGET();
	return 1;
#undef ZF_SET
#undef ZF_FORGET
}

/*
 * A conditional jump at slot pc (info: its jcc_info), not blinded, in
 * emit_body's loop: the compare and the branch at p, exactly as
 * emit_jcond would. Returns the new cursor, or NULL for emit_jcond to
 * compile it, when it may be the `if c goto +1; goto t` that emit_jcond
 * joins into one branch. The flags say nothing after it (track_zf).
 */
JX_INLINE uint8_t *jcond_at(struct jx *j, uint8_t *p, const struct vm_insn *in, size_t pc, unsigned info, int zf_reg,
			    int zf_w)
{
	size_t target = (size_t)(uint32_t)in->off;
	struct ib b;

	if (target == pc + 2)
		return NULL;
	if (target == pc + 1)
		return p;
	b = ib_jcond_compare(in, info, zf_reg, zf_w);
	p = ib_store(p, &b);
	return jump_pc_at(j, p, pc, (int)(info & JC_CC), target);
}

/* Slot pc through emit_insn (and the fusions, budget, jumps around it); returns the last slot it covered. */
static size_t emit_general(struct jx *j, size_t pc)
{
	const struct vm_insn *in = &j->code[pc];
	uint8_t *start = j->p;

	j->pc = pc;
	if (j->checked && j->block_len[pc]) {
		j->zf_reg = -1;   /* the budget's sub */
		emit_budget(j, j->block_len[pc]);
	}
	for (int n = fuse_mov_add(j, in, pc); n > 0; n--) {
		pc++;   /* an add: its code is the lea */
		j->lab[pc] = (uint32_t)here(j);
	}
	if (j->pc != pc) {
		if (j->zf_reg == (int)xreg[in->dst])
			j->zf_reg = -1;   /* the lea changed it (and no flags) */
		return pc;
	}
	emit_insn(j, in);
	track_zf(in, j->blind, &j->zf_reg, &j->zf_w);
	if (j->p - start > MAX_INSN_BYTES)
		j->overflow = 1;
	if (vm_op_first(in->op) == VM_OP_LDDW || j->skip_next) {
		j->skip_next = 0;
		pc++;   /* the second slot, or a `ja` in the branch before: no code */
		j->lab[pc] = (uint32_t)here(j);
	}
	return pc;
}

/*
 * The body, one slot after the other: the common instructions right here
 * (emit_common), the rest through emit_general. Locals rather than j's
 * fields in the loop: the code stores might alias j. Inlined twice (see
 * emit_body): once with blind and checked constant 0, for the loop most
 * programs compile through to test neither per instruction and to keep
 * more of its state in registers.
 */
JX_INLINE void body_loop(struct jx *j, const int blind, const int checked)
{
	const struct vm_insn *code = j->code;
	const uint8_t *target = j->target, *block_len = checked ? j->block_len : NULL;
	uint32_t *lab = j->lab;
	const uint8_t *buf = j->buf;
	const size_t count = j->count;
	uint8_t *p = j->p;
	int zf_reg = -1, zf_w = 0;   /* j->zf_reg and j->zf_w while in this loop */

	for (size_t pc = 0; pc < count; pc++) {
		const struct vm_insn *in = &code[pc];
		unsigned op = op_first[in->op];
		struct ib b;

		lab[pc] = (uint32_t)(p - buf);
		if (target[pc])
			zf_reg = -1;   /* reached from elsewhere */
		if (VM_UNLIKELY(block_len && block_len[pc]))
			goto general;
		if (op == VM_OP_MOV64_X) {
			int n = fuse_lea(target, block_len, count, blind, in, pc, &b);
			if (n) {
				p = ib_store(p, &b);
				if (zf_reg == (int)xreg[in->dst])
					zf_reg = -1;   /* the lea changed it (and no flags) */
				for (; n > 0; n--)
					lab[++pc] = (uint32_t)(p - buf);   /* the adds: their code is the lea */
				continue;
			}
		}
		if (emit_common(in, op, blind, checked, &b, &zf_reg, &zf_w)) {
			p = ib_store(p, &b);
			if (op == VM_OP_LDDW) {
				pc++;   /* the second slot: no code */
				lab[pc] = (uint32_t)(p - buf);
			}
			continue;
		}
		if (jcc_info[op] && !blind) {
			uint8_t *next = jcond_at(j, p, in, pc, jcc_info[op], zf_reg, zf_w);
			if (next) {
				p = next;
				zf_reg = -1;
				continue;
			}
		}
general:
		j->p = p;
		j->zf_reg = zf_reg;
		j->zf_w = zf_w;
		pc = emit_general(j, pc);
		p = j->p;
		zf_reg = j->zf_reg;
		zf_w = j->zf_w;
	}
	lab[count] = (uint32_t)(p - buf);
	j->p = p;
}

static void emit_body(struct jx *j)
{
	if (!j->blind && !j->checked)
		body_loop(j, 0, 0);
	else
		body_loop(j, j->blind, j->checked);
}

static void emit_all(struct jx *j)
{
	emit_prologue(j);
	place(j, lab_index(j, LAB_BODY));
	emit_body(j);
	j->pc = j->count;
	emit_stubs(j);
}

/*
 * Copy the code from the scratch buffer to `out`, shortening the forward
 * jumps whose distance fits a byte, and move labels and displacements
 * with it. Returns the final size. Linear: relax jumps, instruction labels
 * and fixups are each in code order.
 */
static size_t shorten_count(struct jx *j)
{
	size_t saved = 0;

	for (size_t k = 0; k < j->nrelax; k++) {
		struct fixup *r = &j->relax[k];
		int64_t d = (int64_t)j->lab[r->label] - (int64_t)(r->at + (uint32_t)r->size);
		if (d >= 0 && d <= 127) {
			saved += (size_t)r->size - 2;
		} else {
			r->size = (int8_t)-r->size;   /* stays long */
		}
	}
	return saved;
}

/* Bytes saved by shortened jumps before offset x (relax[0..*k) all start before x). */
static uint32_t moved(const struct jx *j, uint32_t x, size_t *k, uint32_t *saved)
{
	while (*k < j->nrelax && j->relax[*k].at < x) {
		int8_t size = j->relax[*k].size;
		if (size > 0)
			*saved += (uint32_t)size - 2;
		(*k)++;
	}
	return x - *saved;
}

/*
 * The labels after the copy. Instruction labels are in code order: each
 * run of them between two shortened jumps moves by the same amount (a
 * loop the compiler vectorizes), and a binary search finds where a run
 * ends. The few special labels, mostly in the stubs, move by the total
 * when they are past the last jump.
 */
/* lab[0..n) -= saved, four at a time (SSE2: every x86-64 has it). */
static void sub_labels(uint32_t *lab, size_t n, uint32_t saved)
{
	__m128i k = _mm_set1_epi32((int)saved);
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(lab + i));
		_mm_storeu_si128((__m128i *)(void *)(lab + i), _mm_sub_epi32(x, k));
	}
	for (; i < n; i++)
		lab[i] -= saved;
}

static void move_labels(struct jx *j)
{
	uint32_t *lab = j->lab, saved = 0, last_at = j->nrelax ? j->relax[j->nrelax - 1].at : 0;
	size_t pc = 0, k, end = j->count + 1;

	for (k = 0; k < j->nrelax; k++) {
		const struct fixup *r = &j->relax[k];
		size_t lo = pc, hi = end;   /* first label past the jump: lab[hi] > r->at */
		if (r->size < 0)
			continue;   /* stays long: moves nothing */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (lab[mid] <= r->at)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (saved)
			sub_labels(lab + pc, lo - pc, saved);
		pc = lo;
		saved += (uint32_t)r->size - 2;
	}
	if (saved)
		sub_labels(lab + pc, end - pc, saved);
	for (size_t l = 0; l < LAB_COUNT; l++) {
		uint32_t *x = &lab[end + l], s = 0;
		if (!j->placed[l])
			continue;
		if (*x > last_at) {
			*x -= saved;
			continue;
		}
		k = 0;
		*x = moved(j, *x, &k, &s);
	}
}

static int copy_code(struct jx *j, uint8_t *out, size_t size)
{
	size_t src = 0, dst = 0, k, nlong = 0;
	uint32_t saved;

	for (k = 0; k < j->nrelax; k++) {
		const struct fixup *r = &j->relax[k];
		size_t len = r->at - src, n = (size_t)(r->size > 0 ? r->size : -r->size);
		memcpy(out + dst, j->buf + src, len);
		dst += len;
		if (r->size > 0) {
			out[dst] = (uint8_t)(r->cc < 0 ? 0xeb : 0x70 + r->cc);
			out[dst + 1] = 0;
			dst += 2;
		} else {
			memcpy(out + dst, j->buf + r->at, n);
			dst += n;
			nlong++;
		}
		src = r->at + n;
	}
	memcpy(out + dst, j->buf + src, size - src);
	dst += size - src;

	move_labels(j);
	/* Displacements: the fixups (in order), then the jumps just copied. */
	k = 0;
	saved = 0;
	for (size_t i = 0; i < j->nfix; i++) {
		struct fixup *f = &j->fix[i];
		uint32_t at = moved(j, f->at, &k, &saved);
		int64_t d = (int64_t)j->lab[f->label] - (int64_t)(at + (uint32_t)f->size);
		if (f->size == 1) {
			if (!fits8(d))
				return -1;
			out[at] = (uint8_t)d;
		} else {
			int32_t v = (int32_t)d;
			memcpy(out + at, &v, 4);
		}
	}
	k = 0;
	saved = 0;
	for (size_t i = 0; i < j->nrelax; i++) {
		const struct fixup *r = &j->relax[i];
		uint32_t at;
		int64_t d;
		size_t kk = k;
		uint32_t s0 = saved;
		at = moved(j, r->at, &kk, &s0);   /* saved by jumps before this one */
		k = kk;
		saved = s0;
		if (r->size > 0) {
			d = (int64_t)j->lab[r->label] - (int64_t)(at + 2);
			if (!fits8(d))
				return -1;
			out[at + 1] = (uint8_t)d;
		} else {
			int n = -r->size;
			int32_t v = (int32_t)((int64_t)j->lab[r->label] - (int64_t)(at + (uint32_t)n));
			memcpy(out + at + n - 4, &v, 4);
		}
	}
	(void)nlong;
	return (int)0;
}

/* Leaders and block lengths (checked mode): blocks end at jumps, calls, exits and packet loads. */
static int compute_blocks(struct jx *j, uint8_t *block_len)
{
	uint8_t *leader = calloc(j->count + 1, 1);
	size_t start = 0;
	unsigned n = 0;

	if (!leader)
		return -ENOMEM;
	leader[0] = 1;
	for (size_t pc = 0; pc < j->count; pc++) {
		const struct vm_insn *in = &j->code[pc];
		unsigned op = vm_op_first(in->op);
		size_t next = pc + (op == VM_OP_LDDW ? 2 : 1);
		switch (op) {
		case VM_OP_JA: case VM_OP_JA32:
			leader[(uint32_t)in->off] = 1;
			leader[next] = 1;
			break;
		case VM_OP_CALL_LOCAL:
			leader[(uint32_t)in->off] = 1;
			leader[next] = 1;
			break;
		case VM_OP_CALL: case VM_OP_CALLX: case VM_OP_EXIT:
		case VM_OP_LDABSB: case VM_OP_LDABSH: case VM_OP_LDABSW:
		case VM_OP_LDINDB: case VM_OP_LDINDH: case VM_OP_LDINDW:
			leader[next] = 1;
			break;
		default:
			if (op >= VM_OP_JEQ_K && op <= VM_OP_JSLE32_X) {
				leader[(uint32_t)in->off] = 1;
				leader[next] = 1;
			}
			break;
		}
		if (j->vm->entry[pc])
			leader[pc] = 1;
		pc = next - 1;
	}
	memset(block_len, 0, j->count);
	for (size_t pc = 0; pc < j->count; pc++) {
		unsigned op = vm_op_first(j->code[pc].op);
		if (leader[pc] || n == 255) {
			if (n)
				block_len[start] = (uint8_t)n;
			start = pc;
			n = 0;
		}
		n++;
		if (op == VM_OP_LDDW)
			pc++;
	}
	if (n)
		block_len[start] = (uint8_t)n;
	free(leader);
	return 0;
}

static uint64_t seed(void)
{
	uint64_t s = 0;
#if defined(__linux__)
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
		s = 0;
#endif
	if (!s) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		s = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)&s;
	}
	return s | 1;
}

static int cpu_has_bmi2(void)
{
#if defined(__GNUC__) || defined(__clang__)
	__builtin_cpu_init();
	return __builtin_cpu_supports("bmi2");
#else
	return 0;
#endif
}

/*
 * The scratch buffer code is emitted into, kept per thread between
 * compiles (its pages stay mapped and warm), unless it grew large.
 */
static _Thread_local uint8_t *scratch;
static _Thread_local size_t scratch_size;
#define SCRATCH_KEEP ((size_t)8 << 20)

int vm_jit_backend_compile(struct nyk_vm *vm, struct vm_jit *jit, unsigned flags, struct nyk_error *err)
{
	struct jx j;
	size_t nlab, need, size, saved;
	int rc = 0;

	memset(&j, 0, sizeof(j));
	if (vm->count > (size_t)1 << 24)
		return nyk_error_set(err, -E2BIG, "program of %zu instructions is too large for the JIT", vm->count);
	j.vm = vm;
	j.code = vm->code;
	j.count = vm->count;
	j.checked = !(flags & NYK_VM_UNCHECKED);
	j.blind = !!(flags & NYK_VM_JIT_BLIND);
	j.bmi2 = cpu_has_bmi2();
	if (j.blind)
		j.rng = seed();
	j.target = malloc(j.count + 1);   /* analyse fills it all */
	if (!j.target)
		return nyk_error_set(err, -ENOMEM, "out of memory compiling %zu instructions", j.count);
	analyse(&j);
	find_inline_lookups(&j);
	j.direct = !j.ctx;

	nlab = j.count + 1 + LAB_COUNT;
	j.lab = malloc(nlab * sizeof(*j.lab));
	jit->offsets = j.lab;
	jit->count = j.count;
	if (j.checked) {
		jit->block_len = malloc(j.count);
		if (jit->block_len && compute_blocks(&j, jit->block_len) < 0) {
			free(jit->block_len);
			jit->block_len = NULL;
		}
		j.block_len = jit->block_len;
	}
	if (j.calls)
		jit->callx_table = calloc(j.count, sizeof(*jit->callx_table));
	j.callx_table = jit->callx_table;
	need = j.count * MAX_INSN_BYTES + MAX_STUB_BYTES + MAX_INSN_BYTES;
	if (scratch_size < need) {
		free(scratch);
		scratch = malloc(need);
		scratch_size = scratch ? need : 0;
	}
	if (!j.lab || (j.checked && !jit->block_len) || (j.calls && !jit->callx_table) || !scratch) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory compiling %zu instructions", j.count);
		goto out;
	}
	jit->flags = flags;
	jit->helpers = j.helpers;
	jit->packet = j.packet;
	jit->inlined = j.inlined;
	jit->needs_run = j.ctx;

	/* Pass 1: emit, forward jumps long. */
	j.buf = j.p = scratch;
	emit_all(&j);
	if (j.oom || j.overflow || here(&j) > need) {
		rc = nyk_error_set(err, j.oom ? -ENOMEM : -EINVAL, j.oom ? "out of memory compiling %zu instructions" :
				   "internal error: JIT code of an instruction too long (%zu instructions)", j.count);
		goto out;
	}
	size = here(&j);

	/* Pass 2: copy into executable memory, forward jumps short where they fit. */
	saved = shorten_count(&j);
	jit->map = vm_jit_mem_alloc(size - saved, &jit->map_size);
	if (!jit->map) {
		rc = nyk_error_set(err, -ENOMEM, "cannot map %zu bytes of memory for JIT code", size - saved);
		goto out;
	}
	jit->code = jit->map;
	jit->code_size = size - saved;
	if (copy_code(&j, jit->code, size) < 0) {
		rc = nyk_error_set(err, -EINVAL, "internal error: short jump out of range");
		goto out;
	}
	memset(jit->code + jit->code_size, 0xcc, jit->map_size - jit->code_size);   /* int3 */
	if (j.calls) {
		for (size_t pc = 0; pc < j.count; pc++)
			if (vm->entry[pc])
				jit->callx_table[pc] = (uint64_t)(uintptr_t)(jit->code + j.lab[pc]);
	}
	rc = vm_jit_mem_seal(jit->map, jit->map_size);
	if (rc < 0) {
		nyk_error_set(err, rc, "cannot make JIT code executable");
		goto out;
	}
	if (j.direct)
		jit->direct = (vm_jit_direct_fn)(uintptr_t)jit->code;
	else
		jit->entry = (vm_jit_entry_fn)(uintptr_t)jit->code;
out:
	free(j.target);
	free(j.fix);
	free(j.relax);
	if (scratch_size > SCRATCH_KEEP) {
		free(scratch);
		scratch = NULL;
		scratch_size = 0;
	}
	return rc;
}

#endif /* VM_JIT_X86_64 */
