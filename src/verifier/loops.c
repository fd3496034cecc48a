/*
 * loops.c - every loop must end, proven with the settled invariants.
 *
 * For a loop with head h (the target of a retreating edge) and its body
 * (the blocks that reach a back edge without passing h), a small symbolic
 * pass follows each register and stack location x around the loop as
 * "x now = view(o at h + D)", o a location, D an interval of integers and
 * the view all of the 64-bit word or its low 32 bits zero- or
 * sign-extended. Moves, additions and subtractions of constants or of
 * bounded scalars, spills and fills keep the form; any other write makes x unknown. The relation
 * holds modulo 2^64 (2^32) whatever happens on the way.
 *
 * Comparisons on the way bound o's value at h on that path ("bits < 8"
 * tested on a copy, on the zero-extended low word of a counter, or on the
 * counter before its increment). At a back edge, x = o + D with o = x, D
 * >= 1 (or <= -1) proves the loop finite when, for the values x can have
 * at h (the invariant there, tightened by the path's comparisons), x + D
 * cannot leave [0, 2^64) - or [-2^63, 2^63), or [0, 2^32) for the low
 * word: then x, read that way, grows (shrinks) strictly on every trip
 * around the loop and stays in a finite range. Paths are joined by
 * interval hull; inner loops are iterated and widened to infinity.
 *
 * Counters tested only with == / != (gcc unrolls `for (i = 0; i < 64 &&
 * b; i++)` into a count down by 9 that ends on exactly 1) have no such
 * bound; for them a path also carries "o is not e at h", and x = o + D
 * with one exact D on every path back, each excluding the same e, and
 * one constant c0 on every way into the loop, proves it finite when e is
 * c0 + k * D for some k (counts_to_exit).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/eng.h"

enum { D_BOT = 0, D_TOP, D_VAL, D_IDENT };
/*
 * What a location holds of o + D: all of it, its low 32 bits zero-extended,
 * it shifted left by 32, or its low 32 bits sign-extended (gcc keeps int
 * counters so: `w6 += 1; r6 <<= 32; r6 s>>= 32`).
 */
enum { V64 = 0, V32, VSHL, VS32 };
#define NSLOT VFY_SLOTS

/*
 * A location's value relative to the loop head. Path bounds on the
 * origin's value at h: hasu (unsigned 64-bit [ulo, uhi]) and has32 (its
 * low word in [wlo, whi]).
 */
struct dval {
	uint8_t kind;
	uint8_t view;
	uint8_t pos, size;   /* stack slots: the bytes of the slot the value occupies */
	uint8_t hasu, has32;
	uint8_t nebits;      /* 32 or 64: the origin at h is not `ne` (its low word / all of it) on this path */
	uint16_t origin;     /* register number, or slot_key() */
	uint32_t wlo, whi;
	uint64_t ulo, uhi;
	uint64_t ne;
	int64_t lo, hi;      /* D; INT64_MIN / INT64_MAX stand for -inf / +inf */
};

struct dstate {
	struct dval r[NYK_REG_COUNT];
	struct dval s[NSLOT];
};

static uint16_t slot_key(unsigned slot, unsigned pos, unsigned size)
{
	return (uint16_t)(1000 + slot * 100 + pos * 10 + size);
}

/* Bounds with infinities: INT64_MIN is -inf for lower bounds, INT64_MAX +inf for upper ones. */
static int64_t add_lo(int64_t a, int64_t b)
{
	int64_t r;

	if (a == INT64_MIN || b == INT64_MIN)
		return INT64_MIN;
	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static int64_t add_hi(int64_t a, int64_t b)
{
	int64_t r;

	if (a == INT64_MAX || b == INT64_MAX)
		return INT64_MAX;
	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static void top(struct dval *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = D_TOP;
}

static void val(struct dval *d, uint16_t origin)
{
	memset(d, 0, sizeof(*d));
	d->kind = D_VAL;
	d->origin = origin;
}

/* a := a joined with b; widen: bounds that move go to infinity. Whether a changed. */
static bool dv_join(struct dval *a, const struct dval *b, bool widen)
{
	struct dval old = *a;

	if (b->kind == D_BOT || a->kind == D_TOP)
		return false;
	if (a->kind == D_BOT) {
		*a = *b;
		return b->kind != D_BOT;
	}
	if (b->kind == D_TOP || a->kind != b->kind ||
	    (a->kind == D_VAL && (a->origin != b->origin || a->pos != b->pos || a->size != b->size ||
				  a->view != b->view))) {
		top(a);
		return true;
	}
	if (a->kind == D_IDENT)
		return false;
	if (b->lo < a->lo)
		a->lo = widen ? INT64_MIN : b->lo;
	if (b->hi > a->hi)
		a->hi = widen ? INT64_MAX : b->hi;
	if (a->hasu && b->hasu) {
		a->ulo = a->ulo < b->ulo ? a->ulo : b->ulo;
		a->uhi = a->uhi > b->uhi ? a->uhi : b->uhi;
	} else {
		a->hasu = 0;
		a->ulo = a->uhi = 0;
	}
	if (a->has32 && b->has32) {
		a->wlo = a->wlo < b->wlo ? a->wlo : b->wlo;
		a->whi = a->whi > b->whi ? a->whi : b->whi;
	} else {
		a->has32 = 0;
		a->wlo = a->whi = 0;
	}
	if (a->nebits != b->nebits || a->ne != b->ne) {
		a->nebits = 0;
		a->ne = 0;
	}
	return memcmp(&old, a, sizeof(old)) != 0;
}

static bool ds_join(struct dstate *a, const struct dstate *b, bool widen)
{
	bool changed = false;

	for (int i = 0; i < NYK_REG_COUNT; i++)
		changed |= dv_join(&a->r[i], &b->r[i], widen);
	for (int i = 0; i < NSLOT; i++)
		changed |= dv_join(&a->s[i], &b->s[i], widen);
	return changed;
}

static void ds_identity(struct dstate *d)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < NYK_REG_COUNT; i++)
		val(&d->r[i], (uint16_t)i);
	for (int i = 0; i < NSLOT; i++)
		d->s[i].kind = D_IDENT;
}

/* ---- the step of one instruction ------------------------------------------------- */

/* The operand range of an ALU instruction as a signed interval; false when not a bounded scalar. */
static bool operand(const struct nyk_insn *i, const struct vfy_state *st, bool is32, bool neg, int64_t *lo,
		    int64_t *hi)
{
	int64_t a, b;

	if ((i->opcode & NYK_SRC_X) == 0) {
		a = b = i->imm;
	} else {
		const struct vfy_reg *s = &st->regs[nyk_insn_src(i)];
		if (s->kind != VFY_SCALAR || nyk_insn_src(i) == nyk_insn_dst(i))
			return false;
		a = is32 ? s->v.s32min : s->v.smin;
		b = is32 ? s->v.s32max : s->v.smax;
	}
	if (neg) {
		int64_t t;
		if (a == INT64_MIN)
			return false;
		t = -b;
		b = -a;
		a = t;
	}
	*lo = a;
	*hi = b;
	return true;
}

/* dst += [lo, hi] by a 64-bit (is32 false) or 32-bit ALU instruction; x is dst before it. */
static void add_step(struct dval *dd, const struct vfy_reg *x, bool is32, int64_t lo, int64_t hi)
{
	if (dd->kind != D_VAL || dd->view == VSHL) {
		top(dd);
		return;
	}
	if (is32) {
		/* zext(low32(x) + c): the low word moves by c */
		dd->view = V32;
	} else if (dd->view == V32) {
		/* zext(w) + c is zext(w + c) only when the sum stays a u32 (the invariant shows it) */
		if (x->kind != VFY_SCALAR || add_lo((int64_t)x->v.umin, lo) < 0 || x->v.umax > UINT32_MAX ||
		    add_hi((int64_t)x->v.umax, hi) > (int64_t)UINT32_MAX) {
			top(dd);
			return;
		}
	} else if (dd->view == VS32) {
		/* sext(w) + c is sext(w + c) only when the sum stays an s32 */
		if (x->kind != VFY_SCALAR || x->v.smin < INT32_MIN || add_lo(x->v.smin, lo) < INT32_MIN ||
		    x->v.smax > INT32_MAX || add_hi(x->v.smax, hi) > INT32_MAX) {
			top(dd);
			return;
		}
	}
	dd->lo = add_lo(dd->lo, lo);
	dd->hi = add_hi(dd->hi, hi);
}

static void alu_step(struct dstate *d, const struct nyk_insn *i, const struct vfy_state *st)
{
	unsigned dst = nyk_insn_dst(i), op = i->opcode & 0xf0;
	bool is32 = (i->opcode & 0x07) == NYK_CLASS_ALU, by_k = (i->opcode & NYK_SRC_X) == 0;
	const struct vfy_reg *x = &st->regs[dst];
	struct dval *dd = &d->r[dst];
	int64_t lo, hi;

	if (op == NYK_ALU_MOV && !by_k && i->off == 0) {
		struct dval v = d->r[nyk_insn_src(i)];

		if (is32 && v.kind == D_VAL) {
			if (v.view == VSHL || st->regs[nyk_insn_src(i)].kind != VFY_SCALAR)
				top(&v);
			else
				v.view = V32;
		}
		*dd = v;
		return;
	}
	if (!is32 && by_k && i->imm == 32 && dd->kind == D_VAL && x->kind == VFY_SCALAR) {
		/*
		 * The extension idioms: x << 32 >> 32 is the low word of x
		 * zero-extended, x << 32 s>> 32 sign-extended. Only the low word
		 * of x matters to the shift, so any view but VSHL will do.
		 */
		if (op == NYK_ALU_LSH && dd->view != VSHL) {
			dd->view = VSHL;
			return;
		}
		if (op == NYK_ALU_RSH && dd->view == VSHL) {
			dd->view = V32;
			return;
		}
		if (op == NYK_ALU_ARSH && dd->view == VSHL) {
			dd->view = VS32;
			return;
		}
	}
	if (op == NYK_ALU_ADD && !is32 && !by_k && nyk_insn_src(i) != dst && x->kind == VFY_SCALAR &&
	    d->r[nyk_insn_src(i)].kind == D_VAL && d->r[nyk_insn_src(i)].view == V64 &&
	    st->regs[nyk_insn_src(i)].kind != VFY_NOT_INIT &&
	    (dd->kind != D_VAL || st->regs[nyk_insn_src(i)].kind != VFY_SCALAR)) {
		/*
		 * dst = bounded scalar + src (`r0 = len << 3; r0 += p`): src + D
		 * plus dst's range, modulo 2^64 as every sum here.
		 */
		struct dval v = d->r[nyk_insn_src(i)];

		v.lo = add_lo(v.lo, x->v.smin);
		v.hi = add_hi(v.hi, x->v.smax);
		*dd = v;
		return;
	}
	if ((op != NYK_ALU_ADD && op != NYK_ALU_SUB) || x->kind == VFY_NOT_INIT ||
	    (is32 && x->kind != VFY_SCALAR) || !operand(i, st, is32, op == NYK_ALU_SUB, &lo, &hi)) {
		top(dd);
		return;
	}
	add_step(dd, x, is32, lo, hi);
}

/* Where a stack access lands in the current frame: 1 and slot/pos; 0 not this frame's stack; -1 unknown place. */
static int stack_at(const struct vfy_state *st, unsigned reg, int16_t off, unsigned size, unsigned *slot,
		    unsigned *pos)
{
	const struct vfy_reg *r = &st->regs[reg];
	int64_t o;

	if (r->kind != VFY_STACK || r->frame != st->nframes - 1)
		return 0;
	if (!vv_is_const(&r->v))
		return -1;
	o = (int64_t)r->v.val + off;
	if (o < -VFY_STACK_BYTES || o + (int64_t)size > 0)
		return -1;
	*slot = (unsigned)(o + VFY_STACK_BYTES) / 8;
	*pos = (unsigned)(o + VFY_STACK_BYTES) % 8;
	return 1;
}

static void kill_stack(struct dstate *d)
{
	for (int i = 0; i < NSLOT; i++)
		top(&d->s[i]);
}

static void store_step(struct dstate *d, const struct nyk_insn *i, const struct vfy_state *st, unsigned size)
{
	unsigned slot, pos, cls = i->opcode & 0x07, mode = i->opcode & 0xe0;
	int at = stack_at(st, nyk_insn_dst(i), i->off, size, &slot, &pos);

	if (mode == NYK_MODE_ATOMIC && (i->imm & NYK_ATOMIC_FETCH))
		top(&d->r[i->imm == NYK_ATOMIC_CMPXCHG ? 0 : nyk_insn_src(i)]);
	if (at == 0)
		return;
	if (at < 0) {
		kill_stack(d);
		return;
	}
	if (pos + size > 8) {
		top(&d->s[slot]);
		if (slot + 1 < NSLOT)
			top(&d->s[slot + 1]);
		return;
	}
	if (cls == NYK_CLASS_STX && mode == NYK_MODE_MEM) {
		const struct vfy_reg *s = &st->regs[nyk_insn_src(i)];
		struct dval v = d->r[nyk_insn_src(i)];
		bool keep = v.kind == D_VAL && v.view != VSHL &&
			    (size == 8 || (s->kind == VFY_SCALAR && s->v.umax < (1ull << (8 * size))));

		if (!keep && v.kind == D_VAL && v.view != VSHL && size == 4 && s->kind == VFY_SCALAR) {
			/* the low word goes to memory; a 4-byte load gives it back zero-extended */
			v.view = V32;
			keep = true;
		}
		if (keep) {
			d->s[slot] = v;
			d->s[slot].pos = (uint8_t)pos;
			d->s[slot].size = (uint8_t)size;
			return;
		}
	}
	top(&d->s[slot]);
}

static void load_step(struct dstate *d, const struct nyk_insn *i, const struct vfy_state *st, unsigned size)
{
	unsigned slot, pos, dst = nyk_insn_dst(i);
	int at = stack_at(st, nyk_insn_src(i), i->off, size, &slot, &pos);
	const struct dval *s;

	if ((i->opcode & 0xe0) != NYK_MODE_MEM || at != 1 || pos + size > 8) {
		top(&d->r[dst]);
		return;
	}
	s = &d->s[slot];
	if (s->kind == D_IDENT) {
		val(&d->r[dst], slot_key(slot, pos, size));
	} else if (s->kind == D_VAL && s->pos == pos && s->size == size) {
		d->r[dst] = *s;
		d->r[dst].pos = d->r[dst].size = 0;
	} else {
		top(&d->r[dst]);
	}
}

static void call_step(struct dstate *d, const struct vfy_state *st)
{
	bool stack_arg = false;

	for (int r = 1; r <= 5; r++)
		if (st->regs[r].kind == VFY_STACK && st->regs[r].frame == st->nframes - 1)
			stack_arg = true;
	for (int r = 0; r <= 5; r++)
		top(&d->r[r]);
	if (stack_arg)
		kill_stack(d);
}

static unsigned mem_size(const struct nyk_insn *i)
{
	switch (i->opcode & 0x18) {
	case NYK_SIZE_B: return 1;
	case NYK_SIZE_H: return 2;
	case NYK_SIZE_W: return 4;
	default: return 8;
	}
}

struct delta_hook {
	struct dstate *d;
	bool dst_const, src_const;   /* the last instruction's registers hold known constants */
	uint64_t dst_val, src_val;
};

static void delta_step(struct eng *E, uint32_t ci, uint32_t pc, const struct vfy_state *st, void *user)
{
	struct delta_hook *h = user;
	struct dstate *d = h->d;
	const struct nyk_insn *i = &E->env.insns[pc];
	unsigned cls = i->opcode & 0x07;
	const struct vfy_reg *src = &st->regs[nyk_insn_src(i)], *dst = &st->regs[nyk_insn_dst(i)];

	(void)ci;
	h->src_const = src->kind == VFY_SCALAR && vv_is_const(&src->v);
	h->src_val = src->v.val;
	h->dst_const = dst->kind == VFY_SCALAR && vv_is_const(&dst->v);
	h->dst_val = dst->v.val;
	switch (cls) {
	case NYK_CLASS_ALU:
	case NYK_CLASS_ALU64:
		alu_step(d, i, st);
		break;
	case NYK_CLASS_LDX:
		load_step(d, i, st, mem_size(i));
		break;
	case NYK_CLASS_ST:
	case NYK_CLASS_STX:
		store_step(d, i, st, mem_size(i));
		break;
	case NYK_CLASS_LD:
		if ((i->opcode & 0xe0) == NYK_MODE_IMM)
			top(&d->r[nyk_insn_dst(i)]);
		else
			call_step(d, st);   /* legacy packet loads clobber r0..r5 */
		break;
	default:
		if ((i->opcode & 0xf0) == NYK_JMP_CALL)
			call_step(d, st);
		break;
	}
}

/* ---- comparisons on the way ------------------------------------------------------- */

static void bound_u(struct dval *v, uint64_t lo, uint64_t hi)
{
	if (!v->hasu) {
		v->hasu = 1;
		v->ulo = 0;
		v->uhi = UINT64_MAX;
	}
	if (lo > v->ulo)
		v->ulo = lo;
	if (hi < v->uhi)
		v->uhi = hi;
}

static void bound_32(struct dval *v, uint64_t lo, uint64_t hi)
{
	if (!v->has32) {
		v->has32 = 1;
		v->wlo = 0;
		v->whi = UINT32_MAX;
	}
	if (lo > v->wlo)
		v->wlo = (uint32_t)lo;
	if (hi < v->whi)
		v->whi = (uint32_t)hi;
}

/*
 * v in [a, b] (unsigned, `bits` wide) where v = o + d modulo 2^bits: o in
 * [a - d, b - d] when that does not wrap. False when nothing follows.
 */
static bool origin_range(uint64_t a, uint64_t b, int64_t d, unsigned bits, uint64_t *lo, uint64_t *hi)
{
	uint64_t max = bits == 64 ? UINT64_MAX : UINT32_MAX;

	if (d >= 0) {
		if (a < (uint64_t)d)
			return false;
		*lo = a - (uint64_t)d;
		*hi = b - (uint64_t)d;
	} else {
		uint64_t m = d == INT64_MIN ? (uint64_t)1 << 63 : (uint64_t)-d;
		if (m > max || b > max - m)
			return false;
		*lo = a + m;
		*hi = b + m;
	}
	return true;
}

static void bound_origin(struct dstate *d, uint16_t origin, bool u, uint64_t lo, uint64_t hi)
{
	for (int r = 0; r < NYK_REG_COUNT; r++)
		if (d->r[r].kind == D_VAL && d->r[r].origin == origin) {
			if (u)
				bound_u(&d->r[r], lo, hi);
			else
				bound_32(&d->r[r], lo, hi);
		}
	for (int s = 0; s < NSLOT; s++) {
		struct dval *v = &d->s[s];
		unsigned slot = (unsigned)(origin - 1000) / 100;

		if (v->kind == D_IDENT && origin >= 1000 && slot == (unsigned)s) {
			/* a value loaded from a slot the loop did not write yet: the slot holds it too */
			val(v, origin);
			v->pos = (uint8_t)((origin - 1000) / 10 % 10);
			v->size = (uint8_t)((origin - 1000) % 10);
		}
		if (v->kind == D_VAL && v->origin == origin) {
			if (u)
				bound_u(v, lo, hi);
			else
				bound_32(v, lo, hi);
		}
	}
}

/*
 * g (= o + D exactly, D = g->lo) is not k on this path, compared on `bits`
 * bits: o is not k - D there. Every location of that origin keeps the
 * fact (the first one found on a path: any one is true).
 */
static void exclude(struct dstate *d, const struct dval *g, uint64_t k, unsigned bits)
{
	uint64_t mask = bits == 64 ? UINT64_MAX : UINT32_MAX, ne = (k - (uint64_t)g->lo) & mask;
	uint16_t origin = g->origin;

	for (int r = 0; r < NYK_REG_COUNT; r++)
		if (d->r[r].kind == D_VAL && d->r[r].origin == origin && !d->r[r].nebits) {
			d->r[r].nebits = (uint8_t)bits;
			d->r[r].ne = ne;
		}
}

/* The operation `a op b` as `b op' a`. */
static unsigned swap_op(unsigned op)
{
	switch (op) {
	case NYK_JMP_JGT: return NYK_JMP_JLT;
	case NYK_JMP_JGE: return NYK_JMP_JLE;
	case NYK_JMP_JLT: return NYK_JMP_JGT;
	case NYK_JMP_JLE: return NYK_JMP_JGE;
	default: return op;
	}
}

/*
 * The conditional jump `i` was taken (or not). When it compares a tracked
 * value with a constant, unsigned, the value's origin learns bounds at
 * the head on this path: all of it from a 64-bit comparison of the whole
 * value, its low word from a 32-bit one or from one on the zero-extended
 * low word.
 */
static void guard(struct dstate *d, const struct nyk_insn *i, bool taken, const struct delta_hook *h)
{
	bool is32 = (i->opcode & 0x07) == NYK_CLASS_JMP32, by_x = (i->opcode & NYK_SRC_X) != 0;
	unsigned op = i->opcode & 0xf0;
	const struct dval *g = &d->r[nyk_insn_dst(i)];
	uint64_t k, a = 0, b, max, lo, hi;
	unsigned bits;

	if (by_x && h->src_const) {
		k = h->src_val;
	} else if (by_x && h->dst_const) {
		g = &d->r[nyk_insn_src(i)];
		k = h->dst_val;
		op = swap_op(op);
	} else if (!by_x) {
		k = (uint64_t)(int64_t)i->imm;
	} else {
		return;
	}
	if (g->kind != D_VAL || g->lo != g->hi || g->lo == INT64_MIN || g->lo == INT64_MAX || g->view == VSHL)
		return;
	/* what is compared: the whole 64-bit value, or the low word */
	bits = is32 || g->view == V32 || g->view == VS32 ? 32 : 64;
	max = bits == 64 ? UINT64_MAX : UINT32_MAX;
	if (!is32 && g->view == VS32) {
		/*
		 * Sign extension keeps the unsigned order of the low words, so
		 * sext(w) op k is w op low32(k) for a k that is itself a sign
		 * extension; other k say little (not worth the code).
		 */
		if ((int64_t)k < INT32_MIN || (int64_t)k > INT32_MAX)
			return;
		k = (uint32_t)k;
	}
	if (is32)
		k = (uint32_t)k;
	if (k > max)
		return;
	b = max;
	switch (op) {
	case NYK_JMP_JGT: if (taken) { if (k == max) return; a = k + 1; } else b = k; break;
	case NYK_JMP_JGE: if (taken) a = k; else { if (!k) return; b = k - 1; } break;
	case NYK_JMP_JLT: if (taken) { if (!k) return; b = k - 1; } else a = k; break;
	case NYK_JMP_JLE: if (taken) b = k; else { if (k == max) return; a = k + 1; } break;
	case NYK_JMP_JEQ: if (taken) a = b = k; else { exclude(d, g, k, bits); return; } break;
	case NYK_JMP_JNE: if (!taken) a = b = k; else { exclude(d, g, k, bits); return; } break;
	default: return;
	}
	if (!origin_range(a, b, g->lo, bits, &lo, &hi))
		return;
	if (bits == 64) {
		bound_origin(d, g->origin, true, lo, hi);
		if (hi <= UINT32_MAX)
			bound_origin(d, g->origin, false, lo, hi);   /* a value below 2^32 is its low word */
	} else {
		bound_origin(d, g->origin, false, lo, hi);
	}
}

/* ---- one loop ------------------------------------------------------------------ */

/* A register as every entry into the loop (from outside it) sets it: a constant c0 (known), or not. */
struct loop_entry {
	bool known, seen;
	uint64_t c0;
	/* the hull of its signed value (scalars) or offset (pointers), when every entry has one kind */
	bool same;
	uint8_t kind;
	int64_t smin, smax;
};

struct loop_ws {
	uint32_t *preds, *pstart;   /* predecessors by rpo index (CSR) */
	uint32_t *member;           /* rpo index -> position in the loop + 1 (0: outside) */
	uint32_t *list, *queue;
	struct dstate *din;
	size_t din_cap;
};

/*
 * A loop must not only end but end soon enough to matter: a counter that
 * can take 2^64 values (`for (i = 0; i < n; i++)` with n any u64) ends in
 * theory and never in practice. The proof bounds the trips of one entry
 * into the loop by the span of values the counter can have at the head
 * divided by its smallest step, and requires at most 2^32 of them (every
 * 32-bit counter fits).
 */
#define MAX_TRIPS (1ull << 32)

/*
 * One reading of x: its values at h are [a, b] (as integers of that
 * reading, whose range is [min, max]) and every trip adds D in [dlo, dhi],
 * all of one sign. Proven when a trip never leaves the range (so the
 * reading moves strictly the same way every trip) and [a, b] holds at
 * most MAX_TRIPS steps.
 */
static bool reading_ok(int64_t a, int64_t b, int64_t min, int64_t max, int64_t dlo, int64_t dhi, uint64_t *trips)
{
	int64_t t;
	uint64_t step = dlo >= 1 ? (uint64_t)dlo : (uint64_t)0 - (uint64_t)dhi, q;

	*trips = 0;
	if (a > b)
		return true;   /* no value at h takes this path back */
	if (__builtin_add_overflow(a, dlo, &t) || t < min || __builtin_add_overflow(b, dhi, &t) || t > max)
		return false;
	q = ((uint64_t)b - (uint64_t)a) / step;
	/* the values going back are in [a, b], each trip at least `step` past the last: q + 1 trips at most */
	*trips = q + 1;
	return q < MAX_TRIPS;
}

/* The same for the unsigned 64-bit reading (values beyond INT64_MAX). */
static bool reading_u64_ok(uint64_t a, uint64_t b, int64_t dlo, int64_t dhi, uint64_t *trips)
{
	uint64_t step = dlo >= 1 ? (uint64_t)dlo : (uint64_t)0 - (uint64_t)dhi;

	*trips = 0;
	if (a > b)
		return true;
	if (dlo >= 1 && b > UINT64_MAX - (uint64_t)dhi)
		return false;
	if (dhi <= -1 && a < (uint64_t)0 - (uint64_t)dlo)
		return false;
	*trips = (b - a) / step + 1;
	return (b - a) / step < MAX_TRIPS;
}

/* One more proof of finiteness (when `proven`) allowing *t trips: keep the fewest. */
static void fewest(bool proven, const uint64_t *t, bool *ok, uint64_t *trips)
{
	if (!proven)
		return;
	*ok = true;
	if (*t < *trips)
		*trips = *t;
}

/*
 * x came back as view(x at h + [lo, hi]): proven when, for the values x
 * can have at h (hv: the invariant; NULL: any; tightened by the path
 * bounds the back edge carries), one reading cannot wrap and leaves room
 * for at most MAX_TRIPS trips. The readings: unsigned and signed 64-bit
 * (whole-word view only), and the low word unsigned or signed (any view:
 * the low word of x + D is the low word of x plus D modulo 2^32). The
 * signed low word is what clang's counters started at -1 or -2 in 32
 * bits need (`w2 = -2; loop: w2 += 2; if w2 < 198`).
 */
static bool candidate(const struct dval *v, uint16_t origin, const struct vfy_value *hv, unsigned bytes,
		      uint64_t *trips)
{
	uint64_t t = 0;
	bool ok = false;
	uint64_t umax = bytes >= 8 ? UINT64_MAX : (1ull << (8 * bytes)) - 1;
	uint64_t ulo = hv ? hv->umin : 0, uhi = hv ? hv->umax : umax;
	uint64_t wlo = hv ? hv->u32min : 0, whi = hv ? hv->u32max : (umax < UINT32_MAX ? umax : UINT32_MAX);
	int64_t slo = hv ? hv->smin : 0, shi = hv ? hv->smax : (bytes >= 8 ? INT64_MAX : (int64_t)umax);
	int64_t s32lo = hv ? hv->s32min : INT32_MIN, s32hi = hv ? hv->s32max : INT32_MAX;

	if (v->kind != D_VAL || v->origin != origin || v->view == VSHL || !(v->lo >= 1 || v->hi <= -1))
		return false;
	if (v->lo == INT64_MIN || v->hi == INT64_MAX)
		return false;
	if (!hv && bytes >= 8)
		slo = INT64_MIN;
	if (!hv && bytes < 4) {
		/* a narrow slot zero-extends: its low word is small and non-negative */
		s32lo = 0;
		s32hi = (int64_t)umax;
	}
	if (v->hasu) {
		ulo = v->ulo > ulo ? v->ulo : ulo;
		uhi = v->uhi < uhi ? v->uhi : uhi;
	}
	if (v->has32) {
		wlo = v->wlo > wlo ? v->wlo : wlo;
		whi = v->whi < whi ? v->whi : whi;
		if (v->whi <= INT32_MAX) {
			/* the path keeps the low word below 2^31: as signed it is the same */
			s32lo = (int64_t)v->wlo > s32lo ? (int64_t)v->wlo : s32lo;
			s32hi = (int64_t)v->whi < s32hi ? (int64_t)v->whi : s32hi;
		} else if (v->wlo > INT32_MAX) {
			/* ... or at or above 2^31: negative as signed */
			int64_t a = (int64_t)v->wlo - ((int64_t)1 << 32), b = (int64_t)v->whi - ((int64_t)1 << 32);
			s32lo = a > s32lo ? a : s32lo;
			s32hi = b < s32hi ? b : s32hi;
		}
	}
	if (ulo > uhi || wlo > whi || s32lo > s32hi) {
		*trips = 0;
		return true;   /* no value at h takes this path back */
	}
	/* every reading that proves it bounds the trips: the fewest is the bound */
	*trips = UINT64_MAX;
	if (v->view == V64)
		fewest(reading_u64_ok(ulo, uhi, v->lo, v->hi, &t), &t, &ok, trips);
	if (v->view == V64)
		fewest(reading_ok(slo, shi, INT64_MIN, INT64_MAX, v->lo, v->hi, &t), &t, &ok, trips);
	fewest(reading_ok((int64_t)wlo, (int64_t)whi, 0, UINT32_MAX, v->lo, v->hi, &t), &t, &ok, trips);
	fewest(reading_ok(s32lo, s32hi, INT32_MIN, INT32_MAX, v->lo, v->hi, &t), &t, &ok, trips);
	return ok;
}

/*
 * The other proof, for counters tested with == / != (gcc's unrolled loops
 * count down to an exact value): every path back adds exactly D and
 * excludes the value e at h, and the loop is entered with the constant c0
 * only. Then the values at h are c0, c0 + D, ... (modulo 2^bits) up to the
 * first e, as none goes back from e: finite when e is in that sequence,
 * at most MAX_TRIPS steps on.
 */
static bool counts_to_exit(const struct dval *v, uint16_t origin, const struct loop_entry *in, uint64_t *trips)
{
	uint64_t mask, diff, step;

	if (v->kind != D_VAL || v->origin != origin || !v->nebits || !in->known || v->lo != v->hi || v->lo == 0 ||
	    v->lo == INT64_MIN || v->lo == INT64_MAX || v->view == VSHL || (v->nebits == 64 && v->view != V64))
		return false;
	mask = v->nebits == 64 ? UINT64_MAX : UINT32_MAX;
	if (v->lo > 0) {
		step = (uint64_t)v->lo;
		diff = (v->ne - in->c0) & mask;
	} else {
		step = (uint64_t)0 - (uint64_t)v->lo;
		diff = (in->c0 - v->ne) & mask;
	}
	if (step > mask || diff % step)
		return false;
	*trips = diff / step;   /* back from c0, ..., e - D: not from e */
	return diff / step < MAX_TRIPS;
}

/*
 * Whether a counter proves the loop finite; *trips: the fewest trips
 * around it (back edges taken per entry) any proving counter allows.
 */
static bool proven_by(const struct dstate *back, const struct vfy_state *hs, const struct loop_entry *in,
		      uint64_t *trips, bool no_inv)
{
	const struct vfy_frame *f = &hs->frames[hs->nframes - 1];
	bool ok = false;
	uint64_t t = 0;

	*trips = UINT64_MAX;
	for (unsigned r = 0; r < NYK_REG_FP; r++) {
		fewest(candidate(&back->r[r], (uint16_t)r,
				 hs->regs[r].kind == VFY_NOT_INIT || no_inv ? NULL : &hs->regs[r].v, 8, &t),
		       &t, &ok, trips);
		fewest(counts_to_exit(&back->r[r], (uint16_t)r, &in[r], &t), &t, &ok, trips);
	}
	for (unsigned s = 0; s < NSLOT; s++) {
		const struct dval *v = &back->s[s];
		bool spill = (f->spilled >> s & 1) && v->pos == 0 && f->spill_size[s] == v->size;

		if (v->kind == D_VAL)
			fewest(candidate(v, slot_key(s, v->pos, v->size), spill && !no_inv ? &f->spill[s].v : NULL,
					 v->size, &t),
			       &t, &ok, trips);
	}
	return ok;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Blocks of the loop at head h: h and whatever reaches a back edge into h without passing h. */
static uint32_t collect_loop(struct eng *E, const struct eng_func *f, uint32_t h, struct loop_ws *L)
{
	uint32_t n = 0, qn = 0;

	L->member[h] = 1;
	L->list[n++] = h;
	for (uint32_t k = L->pstart[h]; k < L->pstart[h + 1]; k++) {
		uint32_t p = L->preds[k];
		if (p >= h && !L->member[p]) {
			L->member[p] = 1;
			L->queue[qn++] = p;
		}
	}
	while (qn) {
		uint32_t b = L->queue[--qn];
		L->list[n++] = b;
		for (uint32_t k = L->pstart[b]; k < L->pstart[b + 1]; k++) {
			uint32_t p = L->preds[k];
			if (!L->member[p]) {
				L->member[p] = 1;
				L->queue[qn++] = p;
			}
		}
	}
	/* by rpo index; n log n in the loop's size, not a scan of the function per loop */
	qsort(L->list, n, sizeof(L->list[0]), cmp_u32);
	for (uint32_t i = 0; i < n; i++)
		L->member[L->list[i]] = i + 1;
	(void)E;
	(void)f;
	return n;
}

/*
 * What the edges into head h from outside the loop bring in each register
 * (nothing known for the function's entry, or when the loop has another
 * way in than h: then h sees values no entry into h set).
 */
static int entry_values(struct eng *E, uint32_t ci, const struct eng_func *f, uint32_t h, uint32_t n,
			const struct loop_ws *L, struct loop_entry *in)
{
	memset(in, 0, NYK_REG_COUNT * sizeof(*in));
	if (h == 0)
		return 0;
	if (!E->ctxs[ci].entry[h])
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = L->list[i];

		for (uint32_t k = L->pstart[b]; b != h && k < L->pstart[b + 1]; k++)
			if (!L->member[L->preds[k]])
				return 0;
	}
	for (int r = 0; r < NYK_REG_COUNT; r++)
		in[r].known = true;
	for (uint32_t k = L->pstart[h]; k < L->pstart[h + 1]; k++) {
		uint32_t p = L->preds[k];
		struct eng_out o;
		int rc;

		if (L->member[p] || !E->ctxs[ci].entry[p])
			continue;
		if ((rc = eng_run_block(E, ci, f->order[p], E->ctxs[ci].entry[p], &o, NULL, NULL, ENG_NONE)))
			return rc;
		for (unsigned e = 0; e < o.n; e++) {
			if (E->cfg.blocks[o.blk[e]].rpo != h)
				continue;
			for (int r = 0; r < NYK_REG_COUNT; r++) {
				const struct vfy_reg *x = &o.st[e]->regs[r];
				bool c = x->kind == VFY_SCALAR && vv_is_const(&x->v);

				if (!c || (in[r].seen && in[r].c0 != x->v.val))
					in[r].known = false;
				if (!in[r].seen) {
					in[r].same = true;
					in[r].kind = x->kind;
					in[r].smin = x->v.smin;
					in[r].smax = x->v.smax;
				} else if (in[r].kind != x->kind || x->kind == VFY_NOT_INIT) {
					in[r].same = false;
				} else {
					in[r].smin = x->v.smin < in[r].smin ? x->v.smin : in[r].smin;
					in[r].smax = x->v.smax > in[r].smax ? x->v.smax : in[r].smax;
				}
				in[r].seen = true;
				in[r].c0 = x->v.val;
			}
		}
	}
	for (int r = 0; r < NYK_REG_COUNT; r++) {
		in[r].known = in[r].known && in[r].seen;
		in[r].same = in[r].same && in[r].seen;
	}
	return 0;
}

/*
 * The symbolic pass around the loop at h (its n blocks in L): `back` is
 * the join of what every path back into h does; *any_back whether one
 * does. Leaves L->member as the loop's (the caller clears it).
 */
static int loop_pass(struct eng *E, uint32_t ci, uint32_t h, uint32_t n, struct loop_ws *L, struct dstate *back,
		     bool *any_back_out)
{
	const struct eng_func *f = &E->cfg.funcs[E->ctxs[ci].func];
	struct dstate cur, edge;
	bool any_back = false;
	int rc = 0;

	if (n > L->din_cap) {
		free(L->din);
		L->din = malloc(n * sizeof(*L->din));
		L->din_cap = L->din ? n : 0;
		if (!L->din)
			return -ENOMEM;
	}
	memset(L->din, 0, n * sizeof(*L->din));
	memset(back, 0, sizeof(*back));
	ds_identity(&L->din[L->member[h] - 1]);
	for (unsigned sweep = 0;; sweep++) {
		bool changed = false;

		if (sweep > 64) {
			/* no settling: give up on this loop */
			any_back = true;
			memset(back, 0, sizeof(*back));
			for (int i = 0; i < NYK_REG_COUNT; i++)
				top(&back->r[i]);
			for (int i = 0; i < NSLOT; i++)
				top(&back->s[i]);
			break;
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t lb = L->list[k];
			const struct eng_block *blk = &E->cfg.blocks[f->order[lb]];
			const struct nyk_insn *last = &E->env.insns[blk->last];
			const struct nyk_insn_desc *ld = E->cfg.rows[blk->last];
			bool cond = (ld->form == NYK_FORM_JMP_K || ld->form == NYK_FORM_JMP_X) && blk->succ[0] != blk->succ[1];
			const void *in = E->ctxs[ci].entry[lb];
			struct delta_hook hk = { &cur, false, false, 0, 0 };
			struct eng_out o;

			if (!in || L->din[k].r[0].kind == D_BOT)
				continue;
			cur = L->din[k];
			if ((rc = eng_run_block(E, ci, f->order[lb], in, &o, delta_step, &hk, ENG_NONE)))
				return rc;
			for (unsigned e = 0; e < o.n; e++) {
				uint32_t s = E->cfg.blocks[o.blk[e]].rpo;
				const struct dstate *src = &cur;

				if (cond) {
					edge = cur;
					guard(&edge, last, o.blk[e] == blk->succ[1], &hk);
					src = &edge;
				}
				if (s == h) {
					any_back = true;
					ds_join(back, src, false);
				} else if (L->member[s]) {
					/* forward inside the loop, or an inner loop's back edge */
					changed |= ds_join(&L->din[L->member[s] - 1], src, sweep >= 3);
				}
			}
		}
		if (!changed)
			break;
	}
	*any_back_out = any_back;
	return 0;
}

static int prove_loop(struct eng *E, uint32_t ci, uint32_t h, struct loop_ws *L)
{
	const struct eng_func *f = &E->cfg.funcs[E->ctxs[ci].func];
	uint32_t n = collect_loop(E, f, h, L);
	struct dstate back;
	bool any_back = false;
	uint64_t trips;
	int rc;

	if ((rc = loop_pass(E, ci, h, n, L, &back, &any_back)))
		goto out;
	if (any_back) {
		struct loop_entry in[NYK_REG_COUNT];
		struct vfy_state *hs;

		if ((rc = entry_values(E, ci, f, h, n, L, in)))
			goto out;
		hs = E->ws[E->ctxs[ci].nframes - 1].tmp;   /* free: no block runs from here */
		eng_unpack(E->ctxs[ci].entry[h], hs);
		if (proven_by(&back, hs, in, &trips, false))
			any_back = false;
	}
	if (any_back) {
		uint32_t pc = E->cfg.blocks[f->order[h]].start;
		rc = vfy_reject(&E->env, pc,
				"loop at insn %u may not terminate: no register moves steadily towards a bound on every "
				"path around it", pc);
		if (!E->err_captured && (E->err_state || (E->err_state = eng_alloc(E, sizeof(struct vfy_state))))) {
			E->err_captured = true;
			E->err_ctx = ci;
			eng_unpack(E->ctxs[ci].entry[h], E->err_state);
		}
	} else {
		uint32_t pc = E->cfg.blocks[f->order[h]].start;
		if (!E->proven[pc]) {
			E->proven[pc] = 1;
			E->env.res->loops++;
		}
	}
out:
	for (uint32_t i = 0; i < n; i++)
		L->member[L->list[i]] = 0;   /* only the loop's blocks: clearing all would be quadratic */
	return rc;
}

/* Predecessors of each block of function fi, by rpo index. */
static int build_preds(struct eng *E, const struct eng_func *f, struct loop_ws *L)
{
	uint32_t nb = f->nblocks, ne = 0;

	L->pstart = calloc(nb + 1, sizeof(uint32_t));
	L->member = calloc(nb, sizeof(uint32_t));
	L->list = calloc(nb, sizeof(uint32_t));
	L->queue = calloc(nb, sizeof(uint32_t));
	L->preds = calloc(2 * (size_t)nb + 1, sizeof(uint32_t));
	if (!L->pstart || !L->member || !L->list || !L->queue || !L->preds)
		return -ENOMEM;
	for (uint32_t i = 0; i < nb; i++)
		for (int k = 0; k < 2; k++)
			if (E->cfg.blocks[f->order[i]].succ[k] != ENG_NONE)
				L->pstart[E->cfg.blocks[E->cfg.blocks[f->order[i]].succ[k]].rpo + 1]++;
	for (uint32_t i = 0; i < nb; i++)
		L->pstart[i + 1] += L->pstart[i];
	for (uint32_t i = 0; i < nb; i++)
		for (int k = 0; k < 2; k++) {
			uint32_t s = E->cfg.blocks[f->order[i]].succ[k];
			if (s != ENG_NONE) {
				uint32_t t = E->cfg.blocks[s].rpo;
				L->preds[L->pstart[t] + L->member[t]++] = i;
				ne++;
			}
		}
	memset(L->member, 0, nb * sizeof(uint32_t));
	(void)ne;
	return 0;
}

static void free_ws(struct loop_ws *L)
{
	free(L->pstart);
	free(L->member);
	free(L->list);
	free(L->queue);
	free(L->preds);
	free(L->din);
	memset(L, 0, sizeof(*L));
}

int eng_prove_loops(struct eng *E)
{
	bool replay = E->replay;
	int rc = 0;

	E->replay = true;
	for (uint32_t fi = 0; fi < E->cfg.nfuncs && !rc; fi++) {
		const struct eng_func *f = &E->cfg.funcs[fi];
		struct loop_ws L;

		if (!f->nheads)
			continue;
		memset(&L, 0, sizeof(L));
		rc = build_preds(E, f, &L);
		for (uint32_t ci = 0; ci < E->nctx && !rc; ci++) {
			if (E->ctxs[ci].func != fi)
				continue;
			for (uint32_t h = 0; h < f->nblocks && !rc; h++)
				if (f->is_head[h] && E->ctxs[ci].entry[h])
					rc = prove_loop(E, ci, h, &L);
		}
		free_ws(&L);
	}
	E->replay = replay;
	return rc;
}

/* ---- the trip-count refinement ----------------------------------------------------- */

/* Kinds whose value (scalar) or offset (pointer) the refinement may bound at a head. */
static bool trip_kind(const struct vfy_reg *x)
{
	switch (x->kind) {
	case VFY_SCALAR:
	case VFY_STACK:
	case VFY_PKT:
	case VFY_PKT_META:
	case VFY_MAP_VALUE:
	case VFY_MEM:
		return !(x->flags & VFY_F_NULLABLE);
	default:
		return false;
	}
}

/* [e.smin + min(0, k * dlo), e.smax + max(0, k * dhi)]; false on overflow. */
static bool trip_range(const struct loop_entry *e, uint64_t k, int64_t dlo, int64_t dhi, int64_t *lo, int64_t *hi)
{
	int64_t kk, a = 0, b = 0;

	if (k > (uint64_t)INT64_MAX)
		return false;
	kk = (int64_t)k;
	if (dlo < 0 && __builtin_mul_overflow(kk, dlo, &a))
		return false;
	if (dhi > 0 && __builtin_mul_overflow(kk, dhi, &b))
		return false;
	return !__builtin_add_overflow(e->smin, a, lo) && !__builtin_add_overflow(e->smax, b, hi);
}

/*
 * One head: a counter bounds the trips of one entry at K (back edges
 * taken); a register x whose every path back adds D in [dlo, dhi] is
 * then x at some entry plus at most K such steps.
 */
static int trip_loop(struct eng *E, uint32_t ci, uint32_t h, struct loop_ws *L, struct eng_trip *t)
{
	const struct eng_func *f = &E->cfg.funcs[E->ctxs[ci].func];
	uint32_t n = collect_loop(E, f, h, L);
	struct loop_entry in[NYK_REG_COUNT];
	struct vfy_state *hs;
	struct dstate back;
	bool any_back = false;
	uint64_t trips, t1 = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = loop_pass(E, ci, h, n, L, &back, &any_back)) || !any_back)
		goto out;
	if ((rc = entry_values(E, ci, f, h, n, L, in)))
		goto out;
	hs = E->ws[E->ctxs[ci].nframes - 1].tmp;
	eng_unpack(E->ctxs[ci].entry[h], hs);
	/*
	 * An estimate (lenient) comes from states cut short where refused
	 * instructions ended paths: the counter's invariant there may be too
	 * small, its tests on the way back are not. The check recomputes it
	 * from the settled states anyway.
	 */
	if ((!(E->lenient && proven_by(&back, hs, in, &trips, true)) && !proven_by(&back, hs, in, &trips, false)) ||
	    trips >= MAX_TRIPS)
		goto out;
	for (unsigned r = 0; r < NYK_REG_FP; r++) {
		const struct dval *v = &back.r[r];
		const struct vfy_reg *x = &hs->regs[r];
		int64_t lo, hi;

		if (v->kind != D_VAL || v->origin != r || v->view != V64 || v->lo == INT64_MIN || v->hi == INT64_MAX)
			continue;
		if (!trip_kind(x) || !in[r].same || in[r].kind != x->kind ||
		    !trip_range(&in[r], trips, v->lo, v->hi, &lo, &hi))
			continue;
		/*
		 * A scalar counter proven by its invariant is left to its own
		 * tests: bounded by the trips it bounds, it would only ever confirm
		 * one trip more than it was given (the check below would grow it a
		 * trip a round). When the trips come from elsewhere (a counter
		 * that counts to its exit with == / !=, whose trip count does not
		 * depend on its invariant) it is bounded like any other register.
		 */
		if (x->kind == VFY_SCALAR && candidate(v, (uint16_t)r, &x->v, 8, &t1) && t1 <= trips)
			continue;
		t->regs |= (uint16_t)(1u << r);
		t->kind[r] = x->kind;
		t->lo[r] = lo;
		t->hi[r] = hi;
	}
out:
	for (uint32_t i = 0; i < n; i++)
		L->member[L->list[i]] = 0;   /* only the loop's blocks: clearing all would be quadratic */
	return rc;
}

int eng_trip_bounds(struct eng *E, uint32_t ci, struct eng_trip *t)
{
	const struct eng_func *f = &E->cfg.funcs[E->ctxs[ci].func];
	bool replay = E->replay, any = false;
	struct loop_ws L;
	int rc;

	memset(t, 0, f->nblocks * sizeof(*t));
	if (!f->nheads)
		return 0;
	memset(&L, 0, sizeof(L));
	E->replay = true;
	rc = build_preds(E, f, &L);
	for (uint32_t h = 0; h < f->nblocks && !rc; h++)
		if (f->is_head[h] && E->ctxs[ci].entry[h]) {
			rc = trip_loop(E, ci, h, &L, &t[h]);
			any |= t[h].regs != 0;
		}
	free_ws(&L);
	E->replay = replay;
	return rc ? rc : any;
}
