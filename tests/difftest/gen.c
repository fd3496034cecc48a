/*
 * gen.c - random valid, terminating eBPF programs (see gen.h) and the
 * comparison of executors on one program.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "rng.h"

#define I(op, dst, src, off, imm) \
	((struct nyk_insn){ (uint8_t)(op), nyk_insn_regs(dst, src), (int16_t)(off), (int32_t)(imm) })

static const unsigned value_regs[] = { 0, 2, 3, 4, 5, 6, 8 };
#define NVALUE (sizeof(value_regs) / sizeof(value_regs[0]))
enum { STACK_USED = 64, MAX_FUNCS = 4, MAX_FIX = 2048 };

struct fix {
	size_t at;       /* instruction to patch */
	size_t target;   /* statement index (jumps) or function index (calls) */
	int kind;        /* 0 jump off, 1 call imm, 2 pseudo-func lddw imm, 3 gotol imm */
};

struct gen {
	struct dt_prog *p;
	uint64_t rng;
	size_t stmt_start[1024 + 1];
	struct fix jfix[MAX_FIX];    /* this function's jumps */
	size_t njfix;
	struct fix cfix[MAX_FIX];    /* calls to functions, resolved at the end */
	size_t ncfix;
	size_t func_start[MAX_FUNCS];
	int nfuncs;
	const struct nyk_insn_desc *rows;
	size_t nrows;
	/* Registers holding values: value_regs, or fewer in kernel packet programs. */
	const unsigned *vregs;
	size_t nvregs;
	/* dt_generate_kernel: only what the kernel's verifier takes (see gen.h). */
	int kernel;
	int packet;                  /* kernel mode: a packet program (LD_ABS/LD_IND) */
	int called[MAX_FUNCS];       /* kernel mode: functions main calls */
};

/* Packet programs keep r6 for the context, as the kernel's LD_ABS wants it. */
static const unsigned packet_value_regs[] = { 0, 2, 3, 4, 5, 8 };

static uint64_t rnd(struct gen *g)
{
	return dt_rng_next(&g->rng);
}

static unsigned below(struct gen *g, unsigned n)
{
	return dt_rng_below(&g->rng, n);
}

static int chance(struct gen *g, unsigned percent)
{
	return below(g, 100) < percent;
}

static void emit(struct gen *g, struct nyk_insn i)
{
	if (g->p->n < DT_MAX_INSNS)
		g->p->insn[g->p->n++] = i;
}

static void lddw(struct gen *g, unsigned dst, unsigned src, uint64_t v)
{
	emit(g, I(0x18, dst, src, 0, (int32_t)(uint32_t)v));
	emit(g, I(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

static unsigned vreg(struct gen *g)
{
	return g->vregs[below(g, (unsigned)g->nvregs)];
}

static int32_t imm32(struct gen *g)
{
	static const int32_t special[] = { 0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 255, 0x7fff,
					   0x8000, 0xffff, 0x10000, INT32_MAX, INT32_MIN, -2, -7, -128, 1000 };
	if (chance(g, 60))
		return special[below(g, sizeof(special) / sizeof(special[0]))];
	return (int32_t)(uint32_t)rnd(g);
}

static uint64_t imm64(struct gen *g)
{
	switch (below(g, 4)) {
	case 0: return (uint64_t)(int64_t)imm32(g);
	case 1: return rnd(g) >> below(g, 64);
	case 2: return (uint64_t)INT64_MIN >> below(g, 2);
	default: return rnd(g);
	}
}

static const struct nyk_insn_desc *pick_row(struct gen *g, int (*want)(const struct nyk_insn_desc *))
{
	for (;;) {
		const struct nyk_insn_desc *d = &g->rows[below(g, (unsigned)g->nrows)];
		if (want(d))
			return d;
	}
}

static int is_alu(const struct nyk_insn_desc *d)
{
	return d->form == NYK_FORM_ALU_K || d->form == NYK_FORM_ALU_X || d->form == NYK_FORM_NEG ||
	       d->form == NYK_FORM_MOVSX || d->form == NYK_FORM_END;
}

static int is_jcond(const struct nyk_insn_desc *d)
{
	return d->form == NYK_FORM_JMP_K || d->form == NYK_FORM_JMP_X;
}

static int is_ldx(const struct nyk_insn_desc *d) { return d->form == NYK_FORM_LDX; }
static int is_store(const struct nyk_insn_desc *d) { return d->form == NYK_FORM_ST || d->form == NYK_FORM_STX; }
static int is_atomic(const struct nyk_insn_desc *d) { return d->form == NYK_FORM_ATOMIC; }
static int is_ldpkt(const struct nyk_insn_desc *d) { return d->form == NYK_FORM_LD_ABS || d->form == NYK_FORM_LD_IND; }

/* Fill the selector field and unused fields per the row. */
static struct nyk_insn from_row(const struct nyk_insn_desc *d, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	if (!(d->fields & NYK_F_DST)) dst = 0;
	if (!(d->fields & NYK_F_SRC)) src = 0;
	if (!(d->fields & NYK_F_OFF)) off = 0;
	if (!(d->fields & NYK_F_IMM)) imm = 0;
	if (d->selector == NYK_SEL_OFF) off = (int16_t)d->sel_value;
	if (d->selector == NYK_SEL_IMM) imm = d->sel_value;
	if (d->selector == NYK_SEL_SRC) src = (unsigned)d->sel_value;
	return I(d->opcode, dst, src, off, imm);
}

/* A memory operand: base r1 (mem) or r10 (stack), an offset valid for `size` (aligned when asked). */
static void mem_place(struct gen *g, unsigned size, int aligned, unsigned *base, int16_t *off)
{
	if (g->kernel) {
		/* No faults; stack accesses aligned (the kernel insists); packet
		   programs leave mem alone, which their LD_ABS reads in nyuki but
		   which is a separate copy in the kernel. */
		if (!g->packet && chance(g, 50)) {
			unsigned o = below(g, DT_MEM - size + 1);
			*base = 1;
			*off = (int16_t)(aligned ? o & ~(size - 1) : o);
		} else {
			unsigned o = below(g, STACK_USED / size) * size;
			*base = NYK_REG_FP;
			*off = (int16_t)((int)o - STACK_USED);
		}
		return;
	}
	if (chance(g, 2)) {
		/* now and then out of bounds: a fault in checked mode */
		*base = 1;
		*off = (int16_t)(DT_MEM - size + 1 + below(g, 16));
		return;
	}
	if (chance(g, 50)) {
		unsigned o = below(g, DT_MEM - size + 1);
		if (aligned)
			o &= ~(size - 1);
		*base = 1;
		*off = (int16_t)o;
	} else {
		unsigned o = below(g, STACK_USED - size + 1);
		if (aligned)
			o &= ~(size - 1);
		*base = NYK_REG_FP;
		*off = (int16_t)((int)o - STACK_USED);
	}
}

static void reset_args(struct gen *g)
{
	emit(g, I(0xbf, 1, 7, 0, 0));        /* r1 = r7 (mem) */
	for (unsigned r = 2; r <= 5; r++)
		emit(g, I(0xb7, r, 0, 0, imm32(g)));
}

/*
 * The kernel refuses constant shifts by the width or more and constant
 * division by zero: kernel mode keeps such immediates in range.
 */
static void kernel_alu_imm(struct nyk_insn *i)
{
	unsigned op = i->opcode & 0xf0, is64 = (i->opcode & 0x07) == NYK_CLASS_ALU64;

	if ((i->opcode & 0x08) != NYK_SRC_K)
		return;
	if (op == NYK_ALU_LSH || op == NYK_ALU_RSH || op == NYK_ALU_ARSH)
		i->imm &= is64 ? 63 : 31;
	if ((op == NYK_ALU_DIV || op == NYK_ALU_MOD) && i->imm == 0)
		i->imm = 7;
}

/* A statement that never jumps (loop bodies use these). */
static void simple_stmt(struct gen *g)
{
	unsigned k = below(g, 10);
	unsigned base;
	int16_t off;

	if (k < 5) {
		const struct nyk_insn_desc *d = pick_row(g, is_alu);
		emit(g, from_row(d, vreg(g), vreg(g), 0, imm32(g)));
		if (g->kernel)
			kernel_alu_imm(&g->p->insn[g->p->n - 1]);
	} else if (k < 7) {
		const struct nyk_insn_desc *d = pick_row(g, is_ldx);
		mem_place(g, d->size, 0, &base, &off);
		emit(g, from_row(d, vreg(g), base, off, 0));
	} else if (k < 9) {
		const struct nyk_insn_desc *d = pick_row(g, is_store);
		mem_place(g, d->size, 0, &base, &off);
		emit(g, from_row(d, base, vreg(g), off, imm32(g)));
	} else {
		const struct nyk_insn_desc *d = pick_row(g, is_atomic);
		mem_place(g, d->size, g->kernel || !chance(g, 2), &base, &off);
		emit(g, from_row(d, base, vreg(g), off, 0));
	}
}

static void jump_fix(struct gen *g, size_t target_stmt, int kind)
{
	if (g->njfix < MAX_FIX) {
		g->jfix[g->njfix].at = g->p->n - 1;
		g->jfix[g->njfix].target = target_stmt;
		g->jfix[g->njfix].kind = kind;
		g->njfix++;
	}
}

static void call_fix(struct gen *g, size_t at, int func, int kind)
{
	if (g->ncfix < MAX_FIX) {
		g->cfix[g->ncfix].at = at;
		g->cfix[g->ncfix].target = (size_t)func;
		g->cfix[g->ncfix].kind = kind;
		g->ncfix++;
	}
}

/*
 * Kernel mode: a jump over the next instruction, so that what follows an
 * unconditional jump or an exit stays reachable (the kernel refuses
 * unreachable instructions).
 */
static void kernel_skip_one(struct gen *g)
{
	const struct nyk_insn_desc *d = pick_row(g, is_jcond);
	emit(g, from_row(d, vreg(g), vreg(g), 1, imm32(g)));
}

/* Kernel mode: the kernel leaves r1..r5 unreadable after calls and packet loads. */
static void kernel_call(struct gen *g, int f)
{
	emit(g, I(0x85, 0, NYK_CALL_LOCAL, 0, 0));
	call_fix(g, g->p->n - 1, f, 1);
	g->called[f] = 1;
	reset_args(g);
}

/* A legacy packet load, mostly in bounds; LD_IND indexes with register idx. */
static void packet_load(struct gen *g, unsigned idx)
{
	const struct nyk_insn_desc *d = pick_row(g, is_ldpkt);
	if (d->form == NYK_FORM_LD_ABS) {
		int32_t o = chance(g, 95) ? (int32_t)below(g, DT_MEM - d->size + 1) : imm32(g);
		emit(g, from_row(d, 0, 0, 0, o));
	} else {
		emit(g, I(0xb7, idx, 0, 0, (int32_t)below(g, DT_MEM)));
		emit(g, from_row(d, 0, idx, 0, chance(g, 90) ? (int32_t)below(g, 16) - 8 : imm32(g)));
	}
}

static void kernel_packet_load(struct gen *g)
{
	packet_load(g, 9);   /* r9 (free outside loops) as the index: r6 holds the context */
	reset_args(g);
}

/* Statements the kernel would refuse, in kernel mode; 1 when done. */
static int kernel_stmt(struct gen *g, unsigned k, int is_main)
{
	if (k >= 62 && k < 65) {
		kernel_skip_one(g);
		return 0;   /* then the jump itself */
	}
	if (k >= 72 && k < 76) {
		simple_stmt(g);   /* no helpers, kfuncs or callx */
		return 1;
	}
	if (k >= 76 && k < 82 && is_main && g->nfuncs > 1) {
		kernel_call(g, 1 + (int)below(g, (unsigned)(g->nfuncs - 1)));
		return 1;
	}
	if (k >= 76 && k < 86) {   /* as in stmt: no call falls through to a packet load */
		if (g->packet)
			kernel_packet_load(g);
		else
			simple_stmt(g);
		return 1;
	}
	if (k == 92 && is_main)
		kernel_skip_one(g);   /* then the early exit */
	return 0;
}

static void stmt(struct gen *g, size_t i, size_t nstmts, int is_main)
{
	unsigned k = below(g, 100);

	if (g->kernel && kernel_stmt(g, k, is_main))
		return;

	if (k < 45) {
		simple_stmt(g);
	} else if (k < 62) {
		/* forward conditional jump */
		const struct nyk_insn_desc *d = pick_row(g, is_jcond);
		size_t target = i + 1 + below(g, (unsigned)(nstmts - i));
		emit(g, from_row(d, vreg(g), vreg(g), 0, imm32(g)));
		jump_fix(g, target, 0);
	} else if (k < 65) {
		size_t target = i + 1 + below(g, (unsigned)(nstmts - i));
		if (chance(g, 70)) {
			emit(g, I(0x05, 0, 0, 0, 0));
			jump_fix(g, target, 0);
		} else {
			emit(g, I(0x06, 0, 0, 0, 0));   /* gotol */
			jump_fix(g, target, 3);
		}
	} else if (k < 72) {
		/* bounded loop on r9 */
		size_t top;
		unsigned body = 1 + below(g, 4);
		emit(g, I(0xb7, 9, 0, 0, 1 + below(g, 6)));
		top = g->p->n;
		for (unsigned b = 0; b < body; b++)
			simple_stmt(g);
		if (chance(g, 50)) {
			emit(g, I(0x07, 9, 0, 0, -1));
			emit(g, I(0x55, 9, 0, (int16_t)((long)top - (long)g->p->n - 1), 0));
		} else {
			emit(g, I(0x17, 9, 0, 0, 1));
			emit(g, I(0x25, 9, 0, (int16_t)((long)top - (long)g->p->n - 1), 0));   /* jgt r9, 0 */
		}
	} else if (k < 76) {
		/* helper, kfunc or callx of a helper id */
		unsigned how = below(g, 3);
		if (how == 0) {
			emit(g, I(0x85, 0, 0, 0, DT_HELPER));
		} else if (how == 1) {
			emit(g, I(0x85, 0, NYK_CALL_KFUNC, 0, DT_KFUNC));
		} else {
			emit(g, I(0xb7, 5, 0, 0, DT_HELPER));
			emit(g, I(0x8d, 5, 0, 0, 0));
		}
		reset_args(g);
	} else if (k < 82 && is_main && g->nfuncs > 1) {
		/* bpf-to-bpf call or callx of a function */
		int f = 1 + (int)below(g, (unsigned)(g->nfuncs - 1));
		if (chance(g, 60)) {
			emit(g, I(0x85, 0, NYK_CALL_LOCAL, 0, 0));
			call_fix(g, g->p->n - 1, f, 1);
		} else {
			lddw(g, 5, NYK_PSEUDO_FUNC, 0);
			call_fix(g, g->p->n - 2, f, 2);
			emit(g, I(0x8d, 5, 0, 0, 0));
			emit(g, I(0xb7, 5, 0, 0, imm32(g)));
		}
	} else if (k < 86) {
		packet_load(g, 6);
	} else if (k < 92) {
		emit(g, I(0x18, vreg(g), 0, 0, 0));
		g->p->insn[g->p->n - 1].imm = (int32_t)(uint32_t)imm64(g);
		emit(g, I(0, 0, 0, 0, (int32_t)(uint32_t)imm64(g)));
	} else if (k < 93 && is_main) {
		emit(g, I(0x95, 0, 0, 0, 0));   /* early exit */
	} else {
		simple_stmt(g);
	}
}

static void function(struct gen *g, int f, size_t nstmts, int is_main)
{
	if (nstmts > 1024)
		nstmts = 1024;
	g->func_start[f] = g->p->n;
	g->njfix = 0;
	for (int o = 8; o <= STACK_USED; o += 8)
		emit(g, I(0x7a, NYK_REG_FP, 0, -o, 0));       /* stdw [r10 - o], 0 */
	if (is_main) {
		emit(g, I(0xbf, 7, 1, 0, 0));                 /* r7 = mem */
		for (size_t v = 0; v < g->nvregs; v++)
			lddw(g, g->vregs[v], 0, imm64(g));
	} else {
		emit(g, I(0xb7, 0, 0, 0, imm32(g)));
		if (g->kernel) {
			/* the kernel's callee starts with r6..r9 unreadable */
			lddw(g, 6, 0, imm64(g));
			lddw(g, 8, 0, imm64(g));
		}
	}
	for (size_t i = 0; i < nstmts; i++) {
		g->stmt_start[i] = g->p->n;
		stmt(g, i, nstmts, is_main);
	}
	g->stmt_start[nstmts] = g->p->n;
	if (is_main && g->kernel)
		for (int c = 1; c < g->nfuncs; c++)
			if (!g->called[c])
				kernel_call(g, c);   /* the kernel refuses functions never called */
	if (is_main)
		for (size_t v = 1; v < g->nvregs; v++)
			emit(g, I(0xaf, 0, g->vregs[v], 0, 0));   /* r0 ^= every value */
	emit(g, I(0x95, 0, 0, 0, 0));
	for (size_t i = 0; i < g->njfix; i++) {
		const struct fix *x = &g->jfix[i];
		long rel = (long)g->stmt_start[x->target] - (long)x->at - 1;
		if (x->kind == 3)
			g->p->insn[x->at].imm = (int32_t)rel;
		else
			g->p->insn[x->at].off = (int16_t)rel;
	}
}

static void generate(struct dt_prog *p, uint64_t seed, int size, int kernel)
{
	struct gen g;
	size_t scale = size <= 1 ? 12 : size == 2 ? 40 : size == 3 ? 150 : 600;

	memset(&g, 0, sizeof(g));
	g.p = p;
	g.rng = seed * 0x2545f4914f6cdd1du + 1;
	g.rows = nyk_isa_table(&g.nrows);
	g.vregs = value_regs;
	g.nvregs = NVALUE;
	g.kernel = kernel;
	p->n = 0;
	for (size_t i = 0; i < DT_MEM; i++)
		p->mem[i] = (uint8_t)rnd(&g);
	p->budget = chance(&g, 10) ? 1 + below(&g, 300) : 0;
	g.nfuncs = 1 + (int)below(&g, MAX_FUNCS);
	if (kernel) {
		p->budget = 0;   /* the kernel has no instruction budget */
		/* The kernel takes LD_ABS/LD_IND only in programs without subprograms. */
		g.packet = chance(&g, 25);
		if (g.packet) {
			g.nfuncs = 1;
			g.vregs = packet_value_regs;
			g.nvregs = sizeof(packet_value_regs) / sizeof(packet_value_regs[0]);
		}
	}
	for (int f = 0; f < g.nfuncs; f++)
		function(&g, f, 1 + below(&g, (unsigned)(f == 0 ? scale : scale / 2 + 1)), f == 0);
	for (size_t i = 0; i < g.ncfix; i++) {
		const struct fix *x = &g.cfix[i];
		p->insn[x->at].imm = (int32_t)((long)g.func_start[x->target] - (long)x->at - 1);
	}
}

void dt_generate(struct dt_prog *p, uint64_t seed, int size)
{
	generate(p, seed, size, 0);
}

void dt_generate_kernel(struct dt_prog *p, uint64_t seed, int size)
{
	generate(p, seed, size, 1);
}

uint64_t dt_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	(void)r1;
	(void)x;
	return (r2 * 0x9e3779b97f4a7c15u) ^ (r3 + 3 * r4) ^ (r5 << 7);
}

/* ---- comparing executors -------------------------------------------------- */

struct outcome {
	int rc;
	uint64_t r0;
	long insn;
	char message[NYK_ERROR_MSG_MAX];
	uint8_t mem[DT_MEM];
};

/*
 * Messages name addresses; those of the stack differ between executors,
 * and so does the reason an access is refused when it depends on where an
 * executor's stack lies (".. (r1 - 6140): below the current stack frame"):
 * out-of-bounds messages are compared up to the operand.
 */
static void normalise(char *m)
{
	char out[NYK_ERROR_MSG_MAX];
	size_t o = 0;
	char *oob = strstr(m, "out-of-bounds"), *close;

	if (oob && (close = strchr(oob, ')')) != NULL)
		close[1] = '\0';

	for (size_t i = 0; m[i] && o + 8 < sizeof(out);) {
		if (m[i] == '0' && m[i + 1] == 'x') {
			size_t j = i + 2;
			while (isxdigit((unsigned char)m[j]))
				j++;
			if (j - i > 10) {
				memcpy(out + o, "0xADDR", 6);
				o += 6;
				i = j;
				continue;
			}
		}
		out[o++] = m[i++];
	}
	out[o] = '\0';
	memcpy(m, out, o + 1);
}

static void run_one(struct nyk_vm *vm, unsigned flags, uint64_t budget, const uint8_t *mem, size_t mem_len,
		    uint8_t *buf, struct outcome *o)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .flags = flags, .insn_budget = budget };
	struct nyk_error err;

	nyk_error_clear(&err);
	memset(o, 0, sizeof(*o));
	o->rc = nyk_vm_set_opts(vm, &opts);
	if (o->rc < 0) {
		snprintf(o->message, sizeof(o->message), "set_opts failed");
		return;
	}
	if (mem_len)
		memcpy(buf, mem, mem_len);
	o->rc = nyk_vm_exec(vm, mem_len ? buf : NULL, mem_len, &o->r0, &err);
	o->insn = err.insn;
	snprintf(o->message, sizeof(o->message), "%s", err.message);
	normalise(o->message);
	if (mem_len)
		memcpy(o->mem, buf, mem_len);
}

static int same(const struct outcome *a, const struct outcome *b, size_t mem_len, const char *name, char *why,
		size_t why_size)
{
	/*
	 * The JIT counts the budget per block and stops before a block it
	 * cannot finish: a fault the interpreter meets earlier in that block
	 * is not reached (documented in vm.h).
	 */
	if (b->rc == -ELOOP && a->rc < 0 && a->rc != -ELOOP && a->insn < b->insn)
		return 1;
	if (a->rc != b->rc || (a->rc == 0 && a->r0 != b->r0) || (a->rc && (a->insn != b->insn ||
	    strcmp(a->message, b->message)))) {
		snprintf(why, why_size, "%s: rc %d r0 0x%" PRIx64 " insn %ld \"%s\"; interpreter: rc %d r0 0x%" PRIx64
			 " insn %ld \"%s\"", name, b->rc, b->r0, b->insn, b->message, a->rc, a->r0, a->insn, a->message);
		return 0;
	}
	if (a->rc != -ELOOP && memcmp(a->mem, b->mem, mem_len)) {
		size_t i = 0;
		while (a->mem[i] == b->mem[i])
			i++;
		snprintf(why, why_size, "%s: memory differs at byte %zu (0x%02x, interpreter 0x%02x)", name, i, b->mem[i],
			 a->mem[i]);
		return 0;
	}
	return 1;
}

int dt_uses_fp_value(const struct nyk_insn *insns, size_t n)
{
	for (size_t pc = 0; pc < n; pc++) {
		const struct nyk_insn_desc *d = nyk_isa_lookup(&insns[pc]);
		unsigned dst = nyk_insn_dst(&insns[pc]), src = nyk_insn_src(&insns[pc]);
		if (!d)
			continue;
		if (d->form == NYK_FORM_LDDW) {
			pc++;
			continue;
		}
		if (src == NYK_REG_FP && (d->fields & NYK_F_SRC) && d->form != NYK_FORM_LDX)
			return 1;
		if (dst == NYK_REG_FP && (d->fields & NYK_F_DST) && d->form != NYK_FORM_ST && d->form != NYK_FORM_STX &&
		    d->form != NYK_FORM_ATOMIC)
			return 1;
	}
	return 0;
}

int dt_compare(const struct nyk_insn *insns, size_t n, const uint8_t *mem, size_t mem_len, uint64_t budget,
	       unsigned what, char *why, size_t why_size)
{
	static const struct { const char *name; unsigned flags; int only_if_ok; } others[] = {
		{ "jit-checked", NYK_VM_JIT, 0 },
		{ "jit-blind", NYK_VM_JIT | NYK_VM_JIT_BLIND, 0 },
		{ "interp-unchecked", NYK_VM_UNCHECKED, 1 },
		{ "jit-unchecked", NYK_VM_JIT | NYK_VM_UNCHECKED, 1 },
	};
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_error err;
	struct outcome ref, got;
	/* On the heap: memory next to an executor's stack would let r1 - k land in one executor's frames only. */
	uint8_t *buf = malloc(DT_MEM);
	int ok = 1;

	if (mem_len > DT_MEM)
		mem_len = DT_MEM;
	why[0] = '\0';
	if (!vm || !buf) {
		nyk_vm_destroy(vm);
		free(buf);
		return 0;
	}
	if (what & DT_HELPERS) {
		nyk_vm_register_helper(vm, DT_HELPER, "dt_helper", dt_helper, NULL);
		nyk_vm_register_kfunc(vm, DT_KFUNC, "dt_kfunc", dt_helper, NULL);
	}
	nyk_error_clear(&err);
	if (nyk_vm_load(vm, insns, n, &err) < 0) {
		snprintf(why, why_size, "refused: insn %ld: %s", err.insn, err.message);
		nyk_vm_destroy(vm);
		free(buf);
		return 1;
	}
	run_one(vm, 0, budget, mem, mem_len, buf, &ref);
	for (size_t i = 0; ok && i < sizeof(others) / sizeof(others[0]); i++) {
		if ((others[i].flags & NYK_VM_JIT) && !nyk_vm_jit_available())
			continue;
		if (others[i].only_if_ok && (ref.rc || !(what & DT_UNCHECKED)))
			continue;
		run_one(vm, others[i].flags, budget, mem, mem_len, buf, &got);
		ok = same(&ref, &got, mem_len, others[i].name, why, why_size);
	}
	nyk_vm_destroy(vm);
	free(buf);
	return ok;
}
