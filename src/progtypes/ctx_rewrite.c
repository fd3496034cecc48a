/*
 * ctx_rewrite.c - which instructions access the context, checked against
 * the type's field table, and loads of pointer fields rewritten to read
 * their 64-bit slots (see progtype.h for the runtime context's layout).
 *
 * A forward dataflow over the control-flow graph, small on purpose (the
 * verifier will one day give exact types instead). Each register and each
 * 8-byte stack slot of the current frame holds one abstract value:
 *
 *   BOT     not reached yet
 *   OTHER   not the context (a scalar, a packet or map pointer, ...)
 *   CTX k   the context plus the constant k
 *   FP k    r10 plus k (to follow spills made through a copy of r10)
 *   FUNC t  the address of the function at slot t (pseudo-func lddw)
 *   MIXK k  the context plus k on some paths, something else on others
 *   MIX     the context at an unknown offset on some path
 *
 * Joins keep what all paths agree on. A memory access through CTX k is a
 * context access; through MIXK k it is one when the offset names a pointer
 * field (refused: it cannot be rewritten for some paths only) or a
 * read-only one for a store; through MIX it is always refused.
 *
 * Calls: a bpf-to-bpf call joins r1-r5 into the callee's entry (a fresh
 * frame: stack slots OTHER, frame pointers passed in become OTHER);
 * bpf_loop and bpf_for_each_map_elem join their callback context argument
 * into the callback's entry; other helpers clobber r0-r5.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"
#include "progtypes/progtype_internal.h"

enum vkind { VK_BOT, VK_OTHER, VK_CTX, VK_FP, VK_FUNC, VK_MIXK, VK_MIX };

struct val {
	int32_t off;
	uint8_t kind;
};

#define NSTACK (NYK_STACK_SIZE / 8)

struct state {
	struct val r[NYK_REG_COUNT];
	struct val s[NSTACK];   /* slot i: [r10 - 512 + 8i, +8) */
};

struct flow {
	const struct nyk_progtype *t;
	struct nyk_insn *insns;
	size_t count;
	const struct nyk_insn_desc **rows;
	uint32_t *block;          /* per slot: 1 + block index where a block starts, else 0 */
	size_t *start;            /* per block: its first slot */
	size_t nblocks;
	struct state *in;         /* per block: state at its start */
	size_t *work;             /* blocks to (re)visit */
	size_t nwork;
	uint8_t *queued;
	uint8_t *taken;           /* per slot: a function whose address a pseudo-func lddw takes */
	int checking;             /* second pass: check and rewrite */
	struct nyk_error *err;
};

static const struct val OTHER = { 0, VK_OTHER };

static int is_ctxish(struct val v)
{
	return v.kind == VK_CTX || v.kind == VK_MIXK || v.kind == VK_MIX;
}

static struct val join(struct val a, struct val b)
{
	if (a.kind == VK_BOT)
		return b;
	if (b.kind == VK_BOT || (a.kind == b.kind && a.off == b.off))
		return a;
	if (a.kind == VK_MIX || b.kind == VK_MIX)
		return (struct val){ 0, VK_MIX };
	if (is_ctxish(a) && is_ctxish(b))
		return a.off == b.off ? (struct val){ a.off, VK_MIXK } : (struct val){ 0, VK_MIX };
	if (is_ctxish(a))
		return (struct val){ a.off, VK_MIXK };
	if (is_ctxish(b))
		return (struct val){ b.off, VK_MIXK };
	return OTHER;
}

/* Join `from` into `into`; 1 when `into` changed. */
static int join_state(struct state *into, const struct state *from)
{
	int changed = 0;

	for (int i = 0; i < NYK_REG_COUNT; i++) {
		struct val v = join(into->r[i], from->r[i]);
		changed |= v.kind != into->r[i].kind || v.off != into->r[i].off;
		into->r[i] = v;
	}
	for (int i = 0; i < NSTACK; i++) {
		struct val v = join(into->s[i], from->s[i]);
		changed |= v.kind != into->s[i].kind || v.off != into->s[i].off;
		into->s[i] = v;
	}
	return changed;
}

static void push_block(struct flow *f, size_t b)
{
	if (!f->queued[b]) {
		f->queued[b] = 1;
		f->work[f->nwork++] = b;
	}
}

/* Join a state into the block starting at `pc`. */
static void flow_to(struct flow *f, size_t pc, const struct state *st)
{
	size_t b;

	if (pc >= f->count || !f->block[pc])
		return;
	b = f->block[pc] - 1;
	if (join_state(&f->in[b], st) && !f->checking)
		push_block(f, b);
}

/* A function's entry state: args r1-r5 as given, a fresh frame. */
static void enter_function(struct flow *f, size_t entry, const struct val args[5])
{
	struct state st;

	for (int i = 0; i < NYK_REG_COUNT; i++)
		st.r[i] = OTHER;
	for (int i = 0; i < 5; i++)
		st.r[1 + i] = args[i].kind == VK_FP ? OTHER : args[i];
	st.r[NYK_REG_FP] = (struct val){ 0, VK_FP };
	for (int i = 0; i < NSTACK; i++)
		st.s[i] = OTHER;
	flow_to(f, entry, &st);
}

static void enter_unknown(struct flow *f, size_t entry)
{
	const struct val args[5] = { OTHER, OTHER, OTHER, OTHER, OTHER };
	enter_function(f, entry, args);
}

/* ---- errors ------------------------------------------------------------------ */

static int refuse(struct flow *f, size_t pc, const char *fmt, const char *a, const char *b)
{
	char msg[NYK_ERROR_MSG_MAX];

	snprintf(msg, sizeof(msg), fmt, a, b);
	if (f->err)
		f->err->insn = (long)pc;
	return nyk_error_set(f->err, -EACCES, "%s", msg);
}

static const char *regname(unsigned r)
{
	static const char *const names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10" };
	return r < NYK_REG_COUNT ? names[r] : "r?";
}

/* ---- memory accesses ---------------------------------------------------------- */

/* The stack slot an access of `size` at r10 + `o` covers whole, or -1; *any: it touches the frame. */
static int stack_slot(int64_t o, unsigned size, int *any)
{
	*any = o < 0 && o + (int64_t)size > -NYK_STACK_SIZE;
	if (size == 8 && o % 8 == 0 && o >= -NYK_STACK_SIZE && o < 0)
		return (int)((o + NYK_STACK_SIZE) / 8);
	return -1;
}

/* Clobber every slot an access of `size` bytes at r10 + `o` touches. */
static void stack_clobber(struct state *st, int64_t o, unsigned size)
{
	for (int64_t a = o; a < o + (int64_t)size; a++)
		if (a >= -NYK_STACK_SIZE && a < 0)
			st->s[(a + NYK_STACK_SIZE) / 8] = OTHER;
}

/*
 * A context access of `size` bytes at context offset `off` by the
 * instruction at `pc` (base register `base` holds `v`). Checks it and, for
 * a load of a pointer field, rewrites the instruction.
 */
static int ctx_access(struct flow *f, size_t pc, unsigned base, struct val v, unsigned size, int store, int sx)
{
	const struct nyk_progtype *t = f->t;
	struct nyk_insn *in = &f->insns[pc];
	const struct nyk_ctx_field *fld;
	char why[160];
	int64_t off = (int64_t)v.off + in->off;

	if (v.kind == VK_MIX)
		return refuse(f, pc, "%s holds the context at different offsets on different paths (or at a "
			      "variable offset); context accesses through it cannot be checked%s", regname(base), "");
	if (progtype_ctx_bytes(t) && !t->d.nfields) {
		if (store && !(t->d.flags & NYK_PT_CTX_WRITABLE) && v.kind == VK_CTX)
			return refuse(f, pc, "writing the context of %s programs is not allowed%s", t->d.name, "");
		if (off < 0 && v.kind == VK_CTX)
			return refuse(f, pc, "access before the start of the context through %s%s", regname(base), "");
		return 0;
	}
	fld = progtype_check_access(t, off, size, store, why, sizeof(why));
	if (v.kind == VK_MIXK) {
		/* The context on some paths only: fine unless the access would need rewriting or is forbidden. */
		if ((fld && fld->kind != NYK_CTX_SCALAR) || (store && !fld && nyk_progtype_field_at(t, (uint32_t)off)))
			return refuse(f, pc, "%s is the context on some paths and not on others; the context access "
				      "(%s) cannot be rewritten for some paths only", regname(base),
				      fld ? fld->name : "a read-only field");
		return 0;
	}
	if (!fld)
		return refuse(f, pc, "invalid context access: %s%s", why, "");
	if (fld->kind == NYK_CTX_SCALAR)
		return 0;
	if (sx)
		return refuse(f, pc, "sign-extending load of the pointer field %s%s", fld->name, "");
	{
		long slot = nyk_progtype_slot_offset(t, (size_t)(fld - t->d.fields));
		int64_t noff = slot - (int64_t)v.off;
		if (slot < 0 || noff < INT16_MIN || noff > INT16_MAX)
			return refuse(f, pc, "context pointer %s is too far from the base register to rewrite%s",
				      fld->name, "");
		if (f->checking) {
			in->opcode = NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_DW;
			in->off = (int16_t)noff;
		}
	}
	return 0;
}

/* ---- the transfer function ------------------------------------------------------ */

static void clobber_call(struct state *st)
{
	for (int i = 0; i <= 5; i++)
		st->r[i] = OTHER;
}

/* Helpers that call a callback: bpf_loop (181) and bpf_for_each_map_elem (164). */
enum { HELPER_LOOP = 181, HELPER_FOR_EACH = 164 };

static void helper_callbacks(struct flow *f, const struct state *st, uint32_t id)
{
	if ((id == HELPER_LOOP || id == HELPER_FOR_EACH) && st->r[2].kind == VK_FUNC) {
		struct val args[5] = { OTHER, OTHER, OTHER, OTHER, OTHER };
		args[id == HELPER_LOOP ? 1 : 3] = st->r[3];
		enter_function(f, (size_t)st->r[2].off, args);
		return;
	}
	for (int i = 1; i <= 5; i++)
		if (st->r[i].kind == VK_FUNC)
			enter_unknown(f, (size_t)st->r[i].off);
}

static struct val alu(const struct nyk_insn_desc *d, const struct nyk_insn *in, struct val dst, struct val src)
{
	unsigned op = in->opcode & 0xf0;
	int is_x = (in->opcode & NYK_SRC_X) != 0;

	if (!d->is64)
		return OTHER;
	if (op == NYK_ALU_MOV)
		return is_x && d->form == NYK_FORM_ALU_X ? src : OTHER;
	if (!is_x && (op == NYK_ALU_ADD || op == NYK_ALU_SUB) &&
	    (dst.kind == VK_CTX || dst.kind == VK_FP || dst.kind == VK_MIXK)) {
		int64_t o = op == NYK_ALU_ADD ? (int64_t)dst.off + in->imm : (int64_t)dst.off - in->imm;
		if (o < INT32_MIN || o > INT32_MAX)
			return is_ctxish(dst) ? (struct val){ 0, VK_MIX } : OTHER;
		return (struct val){ (int32_t)o, dst.kind };
	}
	if (is_ctxish(dst) || (is_x && is_ctxish(src)))
		return (struct val){ 0, VK_MIX };
	return OTHER;
}

/*
 * Run instruction `pc` on `st`. Sets *next to the fall-through slot (or
 * count when there is none) and flows jump targets out. Returns 0 or an
 * error (in the checking pass).
 */
static int step(struct flow *f, size_t pc, struct state *st, size_t *next)
{
	const struct nyk_insn_desc *d = f->rows[pc];
	struct nyk_insn *in = &f->insns[pc];
	unsigned dst = nyk_insn_dst(in), src = nyk_insn_src(in);
	int rc, any;

	*next = pc + 1;
	switch (d->form) {
	case NYK_FORM_ALU_K:
	case NYK_FORM_ALU_X:
		st->r[dst] = alu(d, in, st->r[dst], st->r[src]);
		break;
	case NYK_FORM_NEG:
	case NYK_FORM_MOVSX:
	case NYK_FORM_END:
		st->r[dst] = is_ctxish(st->r[dst]) && d->is64 ? (struct val){ 0, VK_MIX } : OTHER;
		break;
	case NYK_FORM_JA:
	case NYK_FORM_JA32:
		flow_to(f, (size_t)isa_branch_target(d, in, pc), st);
		*next = f->count;
		break;
	case NYK_FORM_JMP_K:
	case NYK_FORM_JMP_X:
		flow_to(f, (size_t)isa_branch_target(d, in, pc), st);
		break;
	case NYK_FORM_CALL:
		helper_callbacks(f, st, (uint32_t)in->imm);
		clobber_call(st);
		break;
	case NYK_FORM_CALL_LOCAL:
		enter_function(f, (size_t)isa_branch_target(d, in, pc), &st->r[1]);
		clobber_call(st);
		break;
	case NYK_FORM_CALLX:
		if (st->r[dst].kind == VK_FUNC) {
			enter_function(f, (size_t)st->r[dst].off, &st->r[1]);
		} else {
			for (size_t i = 0; i < f->count; i++)
				if (f->taken[i])
					enter_unknown(f, i);
		}
		clobber_call(st);
		break;
	case NYK_FORM_CALL_KFUNC:
		clobber_call(st);
		break;
	case NYK_FORM_EXIT:
		*next = f->count;
		break;
	case NYK_FORM_LDX: {
		struct val b = st->r[src];
		struct val v = OTHER;
		if (is_ctxish(b)) {
			if (f->checking &&
			    (rc = ctx_access(f, pc, src, b, d->size, 0, (in->opcode & 0xe0) == NYK_MODE_MEMSX)))
				return rc;
		} else if (b.kind == VK_FP) {
			int slot = stack_slot((int64_t)b.off + in->off, d->size, &any);
			if (slot >= 0)
				v = st->s[slot];
		}
		st->r[dst] = v;
		*next = pc + 1;
		break;
	}
	case NYK_FORM_ST:
	case NYK_FORM_STX: {
		struct val b = st->r[dst];
		if (is_ctxish(b)) {
			if (f->checking && (rc = ctx_access(f, pc, dst, b, d->size, 1, 0)))
				return rc;
		} else if (b.kind == VK_FP) {
			int64_t o = (int64_t)b.off + in->off;
			int slot = stack_slot(o, d->size, &any);
			if (slot >= 0)
				st->s[slot] = d->form == NYK_FORM_STX ? st->r[src] : OTHER;
			else
				stack_clobber(st, o, d->size);
		}
		break;
	}
	case NYK_FORM_ATOMIC: {
		struct val b = st->r[dst];
		if (f->checking && (b.kind == VK_CTX || b.kind == VK_MIX))
			return refuse(f, pc, "atomic operation on the context through %s%s", regname(dst), "");
		if (b.kind == VK_FP)
			stack_clobber(st, (int64_t)b.off + in->off, d->size);
		if (in->imm & NYK_ATOMIC_FETCH)
			st->r[src] = OTHER;
		if (in->imm == NYK_ATOMIC_CMPXCHG)
			st->r[0] = OTHER;
		break;
	}
	case NYK_FORM_LDDW:
		if (d->sel_value == NYK_PSEUDO_FUNC)
			st->r[dst] = (struct val){ (int32_t)isa_branch_target(d, in, pc), VK_FUNC };
		else
			st->r[dst] = OTHER;
		*next = pc + 2;
		break;
	case NYK_FORM_LD_ABS:
	case NYK_FORM_LD_IND:
		if (f->checking && !(f->t->d.flags & NYK_PT_LEGACY_PACKET))
			return refuse(f, pc, "legacy packet loads (LD_ABS, LD_IND) are not allowed in %s programs%s",
				      f->t->d.name, "");
		clobber_call(st);
		break;
	default:
		break;
	}
	return 0;
}

/* Run the block `b` from its entry state. */
static int run_block(struct flow *f, size_t b)
{
	struct state st = f->in[b];
	size_t pc = f->start[b], next;
	int rc;

	for (;;) {
		if ((rc = step(f, pc, &st, &next)))
			return rc;
		if (next >= f->count)
			return 0;
		if (f->block[next]) {
			flow_to(f, next, &st);
			return 0;
		}
		pc = next;
	}
}

/* ---- setting up ------------------------------------------------------------------- */

static int find_blocks(struct flow *f)
{
	size_t n = 0;

	f->block[0] = 1;
	for (size_t pc = 0; pc < f->count; pc++) {
		const struct nyk_insn_desc *d = f->rows[pc];
		long target;
		if (!d)
			continue;
		switch (d->form) {
		case NYK_FORM_JA:
		case NYK_FORM_JA32:
		case NYK_FORM_JMP_K:
		case NYK_FORM_JMP_X:
			target = isa_branch_target(d, &f->insns[pc], pc);
			f->block[target] = 1;
			if (pc + 1 < f->count)
				f->block[pc + 1] = 1;
			break;
		case NYK_FORM_EXIT:
			if (pc + 1 < f->count)
				f->block[pc + 1] = 1;
			break;
		case NYK_FORM_CALL_LOCAL:
			f->block[isa_branch_target(d, &f->insns[pc], pc)] = 1;
			break;
		case NYK_FORM_LDDW:
			if (d->sel_value == NYK_PSEUDO_FUNC) {
				target = isa_branch_target(d, &f->insns[pc], pc);
				f->block[target] = 1;
				f->taken[target] = 1;
			}
			break;
		default:
			break;
		}
	}
	for (size_t pc = 0; pc < f->count; pc++)
		if (f->block[pc])
			n++;
	f->nblocks = n;
	f->start = malloc(n * sizeof(*f->start));
	f->in = calloc(n, sizeof(*f->in));   /* all BOT */
	f->work = malloc(n * sizeof(*f->work));
	f->queued = calloc(n, 1);
	if (!f->start || !f->in || !f->work || !f->queued)
		return -ENOMEM;
	n = 0;
	for (size_t pc = 0; pc < f->count; pc++)
		if (f->block[pc]) {
			f->start[n] = pc;
			f->block[pc] = (uint32_t)++n;
		}
	return 0;
}

int nyk_progtype_rewrite_ctx(const struct nyk_progtype *type, struct nyk_insn *insns, size_t count,
			     struct nyk_error *err)
{
	struct flow f;
	int rc;

	if (!type || (!insns && count))
		return nyk_error_set(err, -EINVAL, "no program type or no program");
	if (!count)
		return 0;
	/* Contexts of plain bytes the program may write need no checks. */
	if (progtype_ctx_bytes(type) && !type->d.nfields && (type->d.flags & NYK_PT_CTX_WRITABLE))
		return 0;
	memset(&f, 0, sizeof(f));
	f.t = type;
	f.insns = insns;
	f.count = count;
	f.err = err;
	f.rows = calloc(count, sizeof(*f.rows));
	f.block = calloc(count, sizeof(*f.block));
	f.taken = calloc(count, 1);
	if (!f.rows || !f.block || !f.taken) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory checking context accesses");
		goto out;
	}
	if ((rc = isa_decode(insns, count, f.rows, err)))
		goto out;
	if ((rc = find_blocks(&f))) {
		rc = nyk_error_set(err, rc, "out of memory checking context accesses");
		goto out;
	}

	/* The program starts with r1 = the context, r10 = its frame. */
	{
		struct val args[5] = { { 0, VK_CTX }, OTHER, OTHER, OTHER, OTHER };
		enter_function(&f, 0, args);
	}
	while (f.nwork) {
		size_t b = f.work[--f.nwork];
		f.queued[b] = 0;
		run_block(&f, b);
	}

	/* Check and rewrite every reached block with its final entry state. */
	f.checking = 1;
	for (size_t b = 0; b < f.nblocks; b++) {
		if (f.in[b].r[NYK_REG_FP].kind == VK_BOT)
			continue;   /* never reached */
		if ((rc = run_block(&f, b)))
			goto out;
	}
	rc = 0;
out:
	free(f.rows);
	free(f.block);
	free(f.taken);
	free(f.start);
	free(f.in);
	free(f.work);
	free(f.queued);
	return rc;
}
