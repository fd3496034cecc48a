/*
 * wrap.c - fit a conformance test program into a kernel program.
 *
 * The test body runs inline, as the kernel's main function, after a
 * prologue that sets its arguments and an epilogue that saves its 64-bit
 * r0 in a map:
 *
 *   prologue   [r6 = r1]                   packet programs: ctx for LD_ABS
 *              r1 = map_value(mem) + 0     (lddw, BPF_PSEUDO_MAP_VALUE), or r1 = 0
 *              r2 = mem_len
 *              goto body
 *   epilogue   r1 = map_value(result) + 0
 *              *(u64 *)(r1 + 0) = r0
 *              r0 = KERNEL_WRAP_DONE
 *              exit
 *   body       the test's instructions, each exit of its main function
 *              (the part before its first subprogram) replaced by a jump
 *              back to the epilogue
 *
 * Inline rather than as a called subprogram, so the test keeps the
 * kernel's eight call frames and a stack frame of its own, and LD_ABS/LD_IND
 * (which the kernel allows only in the main function without BTF) work.
 * The body keeps its layout, so its jumps and calls need no change, and a
 * main function that falls through off its end still does. Exits with
 * reserved fields set are left alone, and branch targets before the body
 * are moved so they stay before the program: invalid programs stay invalid.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_internal.h"

#define I(op, dst, src, off, imm) \
	((struct nyk_insn){ (uint8_t)(op), (uint8_t)((dst) | (src) << 4), (int16_t)(off), (int32_t)(imm) })

enum { EPILOGUE_LEN = 5 };

static int is_lddw(const struct nyk_insn *i)
{
	return i->opcode == (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW);
}

/* Whether the slot holds a branch whose target is relative; *target gets it. */
static int branch_target(const struct nyk_insn *body, size_t count, size_t pc, long *target)
{
	const struct nyk_insn *i = &body[pc];
	const struct nyk_insn_desc *d = nyk_isa_lookup(i);

	if (!d)
		return 0;
	switch (d->form) {
	case NYK_FORM_JA:
	case NYK_FORM_JMP_K:
	case NYK_FORM_JMP_X:
		*target = (long)pc + i->off + 1;
		return 1;
	case NYK_FORM_JA32:
	case NYK_FORM_CALL_LOCAL:
		*target = (long)pc + (long)i->imm + 1;
		return 1;
	case NYK_FORM_LDDW:
		if (nyk_insn_src(i) != NYK_PSEUDO_FUNC || pc + 1 >= count)
			return 0;
		*target = (long)pc + (long)i->imm + 1;
		return 1;
	default:
		return 0;
	}
}

static int is_function_ref(const struct nyk_insn *i)
{
	return (i->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(i) == NYK_CALL_LOCAL) ||
	       (is_lddw(i) && nyk_insn_src(i) == NYK_PSEUDO_FUNC);
}

int kernel_has_packet_access(const struct nyk_insn *body, size_t count)
{
	for (size_t pc = 0; pc < count; pc++) {
		unsigned cls = body[pc].opcode & 0x07, mode = body[pc].opcode & 0xe0;
		if (cls == NYK_CLASS_LD && (mode == NYK_MODE_ABS || mode == NYK_MODE_IND))
			return 1;
		if (is_lddw(&body[pc]))
			pc++;
	}
	return 0;
}

/* Save r0 in the result map's value and end the program. */
static size_t epilogue(struct nyk_insn *p, size_t n, int result_fd)
{
	p[n++] = I(NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, 1, NYK_PSEUDO_MAP_VALUE, 0, result_fd);
	p[n++] = I(0, 0, 0, 0, 0);
	p[n++] = I(NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_DW, 1, 0, 0, 0);
	p[n++] = I(NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_K, 0, 0, 0, KERNEL_WRAP_DONE);
	p[n++] = I(NYK_CLASS_JMP | NYK_JMP_EXIT, 0, 0, 0, 0);
	return n;
}

/* The end of the main function: the first target of a local call or function address. */
static size_t main_end(const struct nyk_insn *body, size_t count)
{
	size_t split = count;

	for (size_t pc = 0; pc < count; pc++) {
		long t;
		if (is_function_ref(&body[pc]) && branch_target(body, count, pc, &t) && t > 0 && (size_t)t < split)
			split = (size_t)t;
		if (is_lddw(&body[pc]))
			pc++;
	}
	return split;
}

/* A jump from `at` (position in the wrapped program) to `to`, 16-bit offset if it fits. */
static struct nyk_insn jump(long at, long to)
{
	long d = to - at - 1;

	if (d >= INT16_MIN && d <= INT16_MAX)
		return I(NYK_CLASS_JMP | NYK_JMP_JA, 0, 0, d, 0);
	return I(NYK_CLASS_JMP32 | NYK_JMP_JA, 0, 0, 0, d);
}

int kernel_wrap(const struct nyk_insn *body, size_t count, const struct kernel_wrap_opts *o, struct nyk_insn **out,
		size_t *out_count)
{
	static const struct nyk_insn plain_exit = { NYK_CLASS_JMP | NYK_JMP_EXIT, 0, 0, 0 };
	size_t head, base, split, n = 0, ep;
	struct nyk_insn *p;

	if (count == 0 || count > ((size_t)1 << 24))
		return -E2BIG;
	split = main_end(body, count);
	head = (o->packet ? 1 : 0) + (o->mem_fd >= 0 ? 2 : 1) + 1 + 1;
	base = head + EPILOGUE_LEN;
	p = calloc(base + count, sizeof(*p));
	if (!p)
		return -ENOMEM;

	if (o->packet)
		p[n++] = I(NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_X, 6, 1, 0, 0);
	if (o->mem_fd >= 0) {
		p[n++] = I(NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, 1, NYK_PSEUDO_MAP_VALUE, 0, o->mem_fd);
		p[n++] = I(0, 0, 0, 0, 0);   /* offset 0 into the value */
	} else {
		p[n++] = I(NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_K, 1, 0, 0, 0);
	}
	p[n++] = I(NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_K, 2, 0, 0, o->mem_len);
	p[n] = jump((long)n, (long)base);
	n++;
	ep = n;
	n = epilogue(p, n, o->result_fd);

	for (size_t pc = 0; pc < count; pc++) {
		struct nyk_insn insn = body[pc];
		long at = (long)(base + pc), t;

		if (pc < split && memcmp(&insn, &plain_exit, sizeof(insn)) == 0) {
			insn = jump(at, (long)ep);
		} else if (branch_target(body, count, pc, &t) && t < 0) {
			/* Keep a target before the body before the whole program. */
			const struct nyk_insn_desc *d = nyk_isa_lookup(&insn);
			if (d->form == NYK_FORM_JA || d->form == NYK_FORM_JMP_K || d->form == NYK_FORM_JMP_X)
				insn.off = (int16_t)(insn.off - (long)base < INT16_MIN ? INT16_MIN : insn.off - (long)base);
			else
				insn.imm = (int32_t)((long)insn.imm - (long)base < INT32_MIN ? INT32_MIN
											  : (long)insn.imm - (long)base);
		}
		p[n++] = insn;
		if (is_lddw(&body[pc]) && pc + 1 < count)
			p[n++] = body[++pc];
	}
	*out = p;
	*out_count = n;
	return 0;
}
