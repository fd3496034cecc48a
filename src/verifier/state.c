/*
 * state.c - registers, stack frames and whole abstract states: the entry
 * state, join / widening / narrowing / inclusion of states, a compact
 * encoding for the states kept at block entries, and printing.
 *
 * Ids. Registers that share a nonzero id are related on every concrete
 * path: nullable pointers are NULL together (one null check serves all),
 * packet pointers share their variable part (so one range serves all),
 * scalars are equal copies. Joining two states therefore cannot keep an id
 * just because it is equal on both sides: the regs that carry it must form
 * the same group on both sides. The join pairs the ids of every register
 * position, keeps a's id for a pair whose ids correspond one to one, and
 * sets the id to 0 (no relation) elsewhere. Inclusion maps b's ids to a's
 * and asks that the map be a function. id 0 is thus the top for ids.
 *
 * A packet pointer's range R is relative to the register itself
 * (transfer.c): on every path, data + o + R <= data_end for each offset o
 * in v, so R <= -o (negative R included) says nothing. Being a fact about
 * one register, it survives any join as the smaller R, whatever the ids,
 * and a state includes another only where its R is at least as large.
 * (Raising a negative R to 0 would claim bytes nothing proved.) Packet
 * pointers that share a nonzero id differ by exactly the difference of
 * their v.smin (transfer.c), so an id is kept only where every register
 * of the group moved by the same amount from one side to the other, and
 * inclusion asks the same of the ids it maps (pkt_shift).
 *
 * Registers of different kinds on two paths become VFY_NOT_INIT (a later
 * read is refused as uninitialised), with one exception that C code needs:
 * a map value or memory pointer on one path and the constant 0 on the
 * other (`p = NULL; if (x) p = lookup(...)`) join to the nullable pointer,
 * when its id is not otherwise used on the side where it is 0.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verifier/vfy.h"

/* ---- registers -------------------------------------------------------------- */

void vfy_reg_uninit(struct vfy_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->def_pc = VFY_NO_PC;
}

void vfy_reg_scalar(struct vfy_reg *r, uint32_t pc)
{
	memset(r, 0, sizeof(*r));
	r->kind = VFY_SCALAR;
	r->def_pc = pc;
	vv_unknown(&r->v);
}

void vfy_reg_const(struct vfy_reg *r, uint64_t c, uint32_t pc)
{
	memset(r, 0, sizeof(*r));
	r->kind = VFY_SCALAR;
	r->def_pc = pc;
	vv_const(&r->v, c);
}

static bool is_const_zero(const struct vfy_reg *r)
{
	return r->kind == VFY_SCALAR && vv_is_const(&r->v) && r->v.val == 0;
}

/* Pointers that may be NULL until checked: only these can absorb a constant 0 in a join. */
static bool may_be_nullable(const struct vfy_reg *r)
{
	return (r->kind == VFY_MAP_VALUE || r->kind == VFY_MEM) && !(r->flags & VFY_F_REF);
}

/*
 * Same kind and compatible identity: the join keeps the kind. NULLABLE and
 * RDONLY may differ (the join ORs them); REF may not, nor the map, nor
 * the stack frame.
 */
static bool reg_compatible(const struct vfy_reg *a, const struct vfy_reg *b)
{
	if (a->kind != b->kind || a->kind == VFY_NOT_INIT)
		return false;
	if ((a->flags ^ b->flags) & VFY_F_REF)
		return false;
	switch (a->kind) {
	case VFY_STACK:
		return a->frame == b->frame;
	case VFY_MAP_PTR:
	case VFY_MAP_VALUE:
		return a->map == b->map;
	default:
		return true;
	}
}

/* ---- id pairing --------------------------------------------------------------- */

/* The id of a constant 0 that meets a nullable pointer: a group of its own (every member is NULL). */
#define ID_NULL0 ((uint64_t)1 << 32)

struct id_pair {
	uint64_t a, b;     /* ids on each side (or ID_NULL0) */
	bool shifted;      /* packet pointers of the pair moved by different amounts: their relation is gone */
	int64_t shift;     /* packet pointers: b's v.smin - a's, the same for every register of the pair */
	uint32_t result;   /* the id the join gives */
};

struct id_pairs {
	struct id_pair p[NYK_REG_COUNT + VFY_MAX_FRAMES * (VFY_SLOTS + 4)];
	size_t n;
};

/* The ids a join of a and b relates, or false when the result has id 0 anyway. */
static bool pair_ids(const struct vfy_reg *a, const struct vfy_reg *b, uint64_t *ia, uint64_t *ib)
{
	if (reg_compatible(a, b)) {
		*ia = a->id;
		*ib = b->id;
	} else if (may_be_nullable(a) && is_const_zero(b)) {
		*ia = a->id;
		*ib = ID_NULL0;
	} else if (is_const_zero(a) && may_be_nullable(b)) {
		*ia = ID_NULL0;
		*ib = b->id;
	} else {
		return false;
	}
	return *ia != 0 && *ib != 0;
}

static bool is_pkt(const struct vfy_reg *r)
{
	return r->kind == VFY_PKT || r->kind == VFY_PKT_META;
}

/*
 * b's v.smin - a's for packet pointers (0 for others); false when it does
 * not fit. Registers of one base differ by exactly the difference of
 * their v.smin, so a join keeps that relation when every register of the
 * group moved by the same amount: the joined v.smin is then a's (or b's)
 * for all of them. (The first iteration's `p = data + 54` meets the later
 * `p = data + 54 + 8 + 8k` this way.) A widening may move a v.smin that
 * went down to a threshold of its own, so there only upward moves keep it.
 */
static bool pkt_shift(const struct vfy_reg *a, const struct vfy_reg *b, int64_t *d)
{
	const int64_t max_shift = (int64_t)1 << 40;   /* far beyond any packet; keeps join and inclusion in step */

	*d = 0;
	if (!is_pkt(a))
		return true;
	return !__builtin_sub_overflow(b->v.smin, a->v.smin, d) && *d >= -max_shift && *d <= max_shift;
}

static void pairs_add(struct id_pairs *ps, const struct vfy_reg *a, const struct vfy_reg *b, bool widen)
{
	uint64_t ia, ib;
	int64_t d;
	bool bad;

	if (!pair_ids(a, b, &ia, &ib))
		return;
	bad = !pkt_shift(a, b, &d) || (widen && d < 0);
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->p[i].a == ia && ps->p[i].b == ib) {
			ps->p[i].shifted |= bad || d != ps->p[i].shift;
			return;
		}
	}
	ps->p[ps->n].a = ia;
	ps->p[ps->n].b = ib;
	ps->p[ps->n].shifted = bad;
	ps->p[ps->n].shift = d;
	ps->p[ps->n].result = 0;
	ps->n++;
}

/*
 * A pair keeps an id when its two groups correspond: no other pair shares
 * one side with it (ID_NULL0 on b's side may be shared: each a-group that
 * meets only constant zeros stays a group). (NULL0, Y) takes Y, which then
 * must not be an id of a's side.
 */
static void pairs_decide(struct id_pairs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		struct id_pair *p = &ps->p[i];
		bool ok = !p->shifted;

		for (size_t j = 0; j < ps->n && ok; j++) {
			const struct id_pair *q = &ps->p[j];

			if (j == i)
				continue;
			if (q->a == p->a && p->a != ID_NULL0)
				ok = false;
			if (q->b == p->b && p->b != ID_NULL0)
				ok = false;
			if (p->a == ID_NULL0 && q->a == p->b)
				ok = false;
		}
		if (ok)
			p->result = (uint32_t)(p->a != ID_NULL0 ? p->a : p->b);
	}
}

static uint32_t pairs_result(const struct id_pairs *ps, const struct vfy_reg *a, const struct vfy_reg *b)
{
	uint64_t ia, ib;

	if (!pair_ids(a, b, &ia, &ib))
		return 0;
	for (size_t i = 0; i < ps->n; i++)
		if (ps->p[i].a == ia && ps->p[i].b == ib)
			return ps->p[i].result;
	return 0;
}

/* ---- joining registers ---------------------------------------------------------- */

enum merge_op { MERGE_JOIN, MERGE_WIDEN };

struct merge {
	enum merge_op op;
	const struct vfy_thresholds *t;
	struct id_pairs ids;
};

static void merge_value(const struct merge *m, struct vfy_value *a, const struct vfy_value *b)
{
	if (m->op == MERGE_WIDEN)
		vv_widen(a, b, m->t);
	else
		vv_join(a, b);
}

/* a := a joined (or widened) with b. */
static void merge_reg(const struct merge *m, struct vfy_reg *a, const struct vfy_reg *b)
{
	uint32_t def_pc = a->def_pc == b->def_pc ? a->def_pc : VFY_NO_PC;
	uint32_t id = pairs_result(&m->ids, a, b);

	if (!reg_compatible(a, b)) {
		if (may_be_nullable(b) && is_const_zero(a)) {
			/* a's 0 becomes b's pointer, made nullable. */
			*a = *b;
			a->flags |= VFY_F_NULLABLE;
		} else if (may_be_nullable(a) && is_const_zero(b)) {
			a->flags |= VFY_F_NULLABLE;
		} else {
			vfy_reg_uninit(a);
		}
		a->id = a->kind == VFY_NOT_INIT ? 0 : id;
		a->def_pc = def_pc;
		return;
	}
	if (b->range < a->range)
		a->range = b->range;                   /* relative to the register: whatever the ids */
	a->flags |= b->flags & (VFY_F_NULLABLE | VFY_F_RDONLY);
	if (a->ref != b->ref)
		a->ref = 0;                            /* a reference of unknown id: cannot be released */
	if (b->size < a->size)
		a->size = b->size;
	a->id = id;
	a->def_pc = def_pc;
	/*
	 * Most registers are the same on both sides (a join point after a
	 * diamond, a fixpoint being confirmed): the join or widening of a
	 * value with itself is that value, so skip its bounds synchronisation.
	 */
	if (memcmp(&a->v, &b->v, sizeof(a->v)) != 0)
		merge_value(m, &a->v, &b->v);
}

static bool is_spill(const struct vfy_frame *f, unsigned s)
{
	return (f->spilled >> s) & 1;
}

/*
 * The lowest slot of *m, removed from it (*m != 0). Loops over a mask of
 * slots with it touch only those slots: a slot whose spilled bit is clear
 * holds stale bytes that nothing may read.
 */
static unsigned pop_slot(uint64_t *m)
{
	unsigned s = (unsigned)__builtin_ctzll(*m);

	*m &= *m - 1;
	return s;
}

/* Calls fn on every register position that both states fill: regs, common spills, saved regs. */
typedef void (*pos_fn)(void *ctx, struct vfy_reg *a, const struct vfy_reg *b);

static void each_position(struct vfy_state *a, const struct vfy_state *b, pos_fn fn, void *ctx)
{
	uint32_t n = a->nframes < b->nframes ? a->nframes : b->nframes;

	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		fn(ctx, &a->regs[i], &b->regs[i]);
	for (uint32_t f = 0; f < n && f < VFY_MAX_FRAMES; f++) {
		struct vfy_frame *fa = &a->frames[f];
		const struct vfy_frame *fb = &b->frames[f];
		uint64_t both = fa->spilled & fb->spilled;

		while (both) {
			unsigned s = pop_slot(&both);

			if (fa->spill_size[s] == fb->spill_size[s])
				fn(ctx, &fa->spill[s], &fb->spill[s]);
		}
		if (f > 0)
			for (unsigned i = 0; i < 4; i++)
				fn(ctx, &fa->saved[i], &fb->saved[i]);
	}
}

static void collect_pair(void *ctx, struct vfy_reg *a, const struct vfy_reg *b)
{
	struct merge *m = ctx;

	pairs_add(&m->ids, a, b, m->op == MERGE_WIDEN);
}

static void merge_position(void *ctx, struct vfy_reg *a, const struct vfy_reg *b)
{
	merge_reg(ctx, a, b);
}

/* Clear the init bits of the 8 bytes of slot s. */
static void slot_uninit(struct vfy_frame *f, unsigned s)
{
	f->init[s / 8] &= ~((uint64_t)0xff << (s % 8 * 8));
}

/* Slots of frame f where either side has spilled a pointer. */
static uint64_t pointer_spills(const struct vfy_frame *fa, const struct vfy_frame *fb)
{
	uint64_t m = 0, either = fa->spilled | fb->spilled;

	while (either) {
		unsigned s = pop_slot(&either);

		if ((is_spill(fa, s) && vfy_is_ptr(&fa->spill[s])) || (is_spill(fb, s) && vfy_is_ptr(&fb->spill[s])))
			m |= (uint64_t)1 << s;
	}
	return m;
}

/*
 * The stack of one frame, after the common spills were joined. Spills
 * survive where both sides have one of the same size and the registers
 * joined to something; elsewhere the bytes stay initialised data only if
 * both sides have them initialised and neither held a pointer there (a
 * pointer read back as a scalar would leak it). `ptrs`: pointer_spills
 * from before the join.
 */
static void merge_frame_stack(struct vfy_frame *fa, const struct vfy_frame *fb, uint64_t ptrs)
{
	uint64_t todo = fa->spilled | ptrs;   /* other slots: no spill to keep or drop, no pointer */

	while (todo) {
		unsigned s = pop_slot(&todo);
		bool sa = is_spill(fa, s), sb = is_spill(fb, s);

		if (sa && sb && fa->spill_size[s] == fb->spill_size[s] && fa->spill[s].kind != VFY_NOT_INIT)
			continue;
		if ((ptrs >> s) & 1)
			slot_uninit(fa, s);
		if (sa)
			fa->spilled &= ~((uint64_t)1 << s);
	}
	for (unsigned w = 0; w < VFY_STACK_BYTES / 64; w++)
		fa->init[w] &= fb->init[w];
	if (fb->depth > fa->depth)
		fa->depth = fb->depth;
}

static bool has_ref(const struct vfy_state *st, uint32_t ref)
{
	for (uint32_t i = 0; i < st->nrefs && i < VFY_MAX_REFS; i++)
		if (st->refs[i] == ref)
			return true;
	return false;
}

static void merge_state(struct merge *m, struct vfy_state *a, const struct vfy_state *b)
{
	uint32_t n = a->nframes < b->nframes ? a->nframes : b->nframes;
	uint64_t ptrs[VFY_MAX_FRAMES] = { 0 };

	if (n > VFY_MAX_FRAMES)
		n = VFY_MAX_FRAMES;
	m->ids.n = 0;
	each_position(a, b, collect_pair, m);
	pairs_decide(&m->ids);
	for (uint32_t f = 0; f < n; f++)
		ptrs[f] = pointer_spills(&a->frames[f], &b->frames[f]);
	each_position(a, b, merge_position, m);
	for (uint32_t f = 0; f < n; f++)
		merge_frame_stack(&a->frames[f], &b->frames[f], ptrs[f]);
	for (uint32_t i = 0; i < b->nrefs && i < VFY_MAX_REFS; i++)
		if (!has_ref(a, b->refs[i]) && a->nrefs < VFY_MAX_REFS)
			a->refs[a->nrefs++] = b->refs[i];
	if (!a->lock)
		a->lock = b->lock;
}

void vfy_state_join(struct vfy_state *a, const struct vfy_state *b)
{
	static _Thread_local struct merge m;

	m.op = MERGE_JOIN;
	m.t = NULL;
	merge_state(&m, a, b);
}

void vfy_state_widen(struct vfy_state *a, const struct vfy_state *b, const struct vfy_thresholds *t)
{
	static _Thread_local struct merge m;

	m.op = MERGE_WIDEN;
	m.t = t;
	merge_state(&m, a, b);
}

/*
 * Narrowing keeps a's shape (kinds, ids, spills, init bytes) and lets only
 * the values of registers that are alike on both sides shrink towards b's.
 */
static void narrow_position(void *ctx, struct vfy_reg *a, const struct vfy_reg *b)
{
	(void)ctx;
	if (!reg_compatible(a, b))
		return;
	/*
	 * A range is a fact about the register alone: both sides hold on every
	 * path (b is the image of a), so the larger one does.
	 */
	if (is_pkt(a) && b->range > a->range)
		a->range = b->range;
	if (is_pkt(a) && a->id != 0 && a->v.smin != b->v.smin)
		return;   /* the offset from the base must stay v.smin */
	vv_narrow(&a->v, &b->v);
}

void vfy_state_narrow(struct vfy_state *a, const struct vfy_state *b)
{
	each_position(a, b, narrow_position, NULL);
}

/* ---- inclusion ---------------------------------------------------------------- */

struct leq_ctx {
	bool ok;
	size_t n;
	struct { uint32_t b; uint64_t a; int64_t shift; } map[NYK_REG_COUNT + VFY_MAX_FRAMES * (VFY_SLOTS + 4)];
};

/*
 * b's id `idb` stands for a's `ida` (an id or ID_NULL0), its packet
 * pointers moved by `shift` (see pkt_shift); false when it already stands
 * for another or moved differently.
 */
static bool map_id(struct leq_ctx *c, uint32_t idb, uint64_t ida, int64_t shift)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->map[i].b == idb)
			return c->map[i].a == ida && c->map[i].shift == shift;
	c->map[c->n].b = idb;
	c->map[c->n].a = ida;
	c->map[c->n].shift = shift;
	c->n++;
	return true;
}

static bool reg_leq(struct leq_ctx *c, const struct vfy_reg *a, const struct vfy_reg *b)
{
	int64_t shift;

	if (b->kind == VFY_NOT_INIT)
		return true;
	if (is_const_zero(a) && may_be_nullable(b) && (b->flags & VFY_F_NULLABLE))
		return b->id == 0 || map_id(c, b->id, ID_NULL0, 0);
	if (!reg_compatible(a, b))
		return false;
	if ((a->flags & ~b->flags) & (VFY_F_NULLABLE | VFY_F_RDONLY))
		return false;
	if (b->ref != 0 && a->ref != b->ref)
		return false;
	if (a->size < b->size)
		return false;
	if (is_pkt(a) && a->range < b->range)
		return false;
	if (b->id != 0 && (a->id == 0 || !pkt_shift(b, a, &shift) || !map_id(c, b->id, a->id, shift)))
		return false;
	return vv_leq(&a->v, &b->v);
}

static bool frame_leq(struct leq_ctx *c, const struct vfy_frame *fa, const struct vfy_frame *fb, bool saved)
{
	uint64_t either = fa->spilled | fb->spilled;

	if (fa->callsite != fb->callsite || fa->func != fb->func || fa->depth > fb->depth)
		return false;
	for (unsigned w = 0; w < VFY_STACK_BYTES / 64; w++)
		if (fb->init[w] & ~fa->init[w])
			return false;
	while (either) {
		unsigned s = pop_slot(&either);
		bool sa = is_spill(fa, s), sb = is_spill(fb, s);

		if (sb) {
			if (!sa || fa->spill_size[s] != fb->spill_size[s] || !reg_leq(c, &fa->spill[s], &fb->spill[s]))
				return false;
		} else if (sa && vfy_is_ptr(&fa->spill[s]) && ((fb->init[s / 8] >> (s % 8 * 8)) & 0xff)) {
			return false;   /* b would read a's pointer as data */
		}
	}
	for (unsigned i = 0; saved && i < 4; i++)
		if (!reg_leq(c, &fa->saved[i], &fb->saved[i]))
			return false;
	return true;
}

bool vfy_state_leq(const struct vfy_state *a, const struct vfy_state *b)
{
	static _Thread_local struct leq_ctx c;

	if (a->nframes != b->nframes || a->nframes > VFY_MAX_FRAMES)
		return false;
	if (b->lock ? false : a->lock != 0)
		return false;
	for (uint32_t i = 0; i < a->nrefs && i < VFY_MAX_REFS; i++)
		if (!has_ref(b, a->refs[i]))
			return false;
	c.n = 0;
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		if (!reg_leq(&c, &a->regs[i], &b->regs[i]))
			return false;
	for (uint32_t f = 0; f < a->nframes; f++)
		if (!frame_leq(&c, &a->frames[f], &b->frames[f], f > 0))
			return false;
	return true;
}

/* ---- entry state -------------------------------------------------------------- */

void vfy_state_init(struct vfy_state *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		vfy_reg_uninit(&st->regs[i]);
	st->regs[1].kind = VFY_CTX;
	vv_const(&st->regs[1].v, 0);
	st->regs[10].kind = VFY_STACK;
	st->regs[10].frame = 0;
	vv_const(&st->regs[10].v, 0);
	st->nframes = 1;
	/* No spills: the slots' contents do not matter (nothing reads a slot whose spilled bit is clear). */
	for (unsigned f = 0; f < VFY_MAX_FRAMES; f++) {
		st->frames[f].callsite = VFY_NO_PC;
		for (unsigned i = 0; i < 4; i++)
			vfy_reg_uninit(&st->frames[f].saved[i]);
	}
}

/* ---- packing -------------------------------------------------------------------
 *
 * Variable-length: LEB128 for unsigned numbers, zigzag LEB128 for signed.
 * A value is "the constant c", "unknown", or its fields that differ from
 * what the others predict (put_value). A register is kind, flags, a bit
 * per field that differs from its default (0; def_pc: VFY_NO_PC), those
 * fields, then its value.
 * Only live frames, only spilled slots and only the init words that are
 * neither all 0 nor all 1 take space. Unpacking writes only what is live:
 * slots without a spill and frames past nframes keep whatever they held
 * (nothing reads a slot whose spilled bit is clear; push_frame clears the
 * frame it adds), so a state of few spills unpacks in little time.
 */

struct wr {
	uint8_t *p;     /* NULL: only count */
	size_t n;
};

static void put8(struct wr *w, uint8_t b)
{
	if (w->p)
		w->p[w->n] = b;
	w->n++;
}

static void putu(struct wr *w, uint64_t x)
{
	if (x < 0x80 && w->p) {   /* most numbers here are small */
		w->p[w->n++] = (uint8_t)x;
		return;
	}
	if (!w->p) {
		/* Counting only (vfy_state_packed_size): 7 bits a byte, at least one. */
		w->n += x ? (unsigned)(64 - __builtin_clzll(x) + 6) / 7 : 1;
		return;
	}
	while (x >= 0x80) {
		put8(w, (uint8_t)(x | 0x80));
		x >>= 7;
	}
	put8(w, (uint8_t)x);
}

static void puts64(struct wr *w, int64_t x)
{
	putu(w, ((uint64_t)x << 1) ^ (uint64_t)(x >> 63));
}

static void put64raw(struct wr *w, uint64_t x)
{
	for (unsigned i = 0; i < 8; i++)
		put8(w, (uint8_t)(x >> (8 * i)));
}

struct rd {
	const uint8_t *p;
};

static uint8_t get8(struct rd *r)
{
	return *r->p++;
}

static uint64_t getu(struct rd *r)
{
	uint64_t x = 0;
	unsigned shift = 0;
	uint8_t b;

	if (*r->p < 0x80)   /* most numbers here are small */
		return *r->p++;
	do {
		b = get8(r);
		if (shift < 64)
			x |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return x;
}

static int64_t gets64(struct rd *r)
{
	uint64_t z = getu(r);

	return (int64_t)((z >> 1) ^ (~(z & 1) + 1));
}

static uint64_t get64raw(struct rd *r)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < 8; i++)
		x |= (uint64_t)get8(r) << (8 * i);
	return x;
}

enum { VAL_CONST = 0, VAL_UNKNOWN = 1, VAL_FIELDS = 2 };

static void value_of_const(struct vfy_value *v, uint64_t c)
{
	v->umin = v->umax = c;
	v->smin = v->smax = (int64_t)c;
	v->u32min = v->u32max = (uint32_t)c;
	v->s32min = v->s32max = (int32_t)c;
	v->val = c;
	v->mask = 0;
}

static bool value_same(const struct vfy_value *a, const struct vfy_value *b)
{
	return a->umin == b->umin && a->umax == b->umax && a->smin == b->smin && a->smax == b->smax &&
	       a->u32min == b->u32min && a->u32max == b->u32max && a->s32min == b->s32min &&
	       a->s32max == b->s32max && a->val == b->val && a->mask == b->mask;
}

static unsigned value_form(const struct vfy_value *v)
{
	struct vfy_value t;

	/* A constant has no unknown bit, "unknown" has all: one comparison decides which to try. */
	if (v->mask == 0) {
		value_of_const(&t, v->val);
		return value_same(v, &t) ? VAL_CONST : VAL_FIELDS;
	}
	if (v->mask == UINT64_MAX) {
		vv_unknown(&t);
		return value_same(v, &t) ? VAL_UNKNOWN : VAL_FIELDS;
	}
	return VAL_FIELDS;
}

/*
 * A value of neither form is written as the fields that differ from what
 * the fields before them predict (the order below): a range [a,b] below
 * 2^31 has every signed and 32-bit bound equal to a and b and a mask of
 * b's bits, so it costs one or two numbers. Each prediction uses only
 * fields decoded before it.
 */
enum {
	F_UMIN = 1u << 0, F_UMAX = 1u << 1, F_SMIN = 1u << 2, F_SMAX = 1u << 3, F_U32MIN = 1u << 4,
	F_U32MAX = 1u << 5, F_S32MIN = 1u << 6, F_S32MAX = 1u << 7, F_MASK = 1u << 8, F_VAL = 1u << 9,
};

static int64_t predict_smin(const struct vfy_value *v)
{
	return v->umax <= INT64_MAX ? (int64_t)v->umin : INT64_MIN;
}

static int64_t predict_smax(const struct vfy_value *v)
{
	return v->umax <= INT64_MAX ? (int64_t)v->umax : INT64_MAX;
}

static uint32_t predict_u32min(const struct vfy_value *v)
{
	return v->umax <= UINT32_MAX ? (uint32_t)v->umin : 0;
}

static uint32_t predict_u32max(const struct vfy_value *v)
{
	return v->umax <= UINT32_MAX ? (uint32_t)v->umax : UINT32_MAX;
}

static int32_t predict_s32min(const struct vfy_value *v)
{
	return v->u32max <= INT32_MAX ? (int32_t)v->u32min : INT32_MIN;
}

static int32_t predict_s32max(const struct vfy_value *v)
{
	return v->u32max <= INT32_MAX ? (int32_t)v->u32max : INT32_MAX;
}

static uint64_t predict_mask(const struct vfy_value *v)
{
	return v->umax ? UINT64_MAX >> __builtin_clzll(v->umax) : 0;
}

static uint64_t predict_val(const struct vfy_value *v)
{
	return v->umin & ~v->mask;
}

static void put_value(struct wr *w, const struct vfy_value *v, unsigned form)
{
	unsigned present;

	if (form == VAL_CONST) {
		putu(w, v->val);
		return;
	}
	if (form == VAL_UNKNOWN)
		return;
	present = (v->umin != 0) * F_UMIN | (v->umax != UINT64_MAX) * F_UMAX |
		  (v->smin != predict_smin(v)) * F_SMIN | (v->smax != predict_smax(v)) * F_SMAX |
		  (v->u32min != predict_u32min(v)) * F_U32MIN | (v->u32max != predict_u32max(v)) * F_U32MAX |
		  (v->s32min != predict_s32min(v)) * F_S32MIN | (v->s32max != predict_s32max(v)) * F_S32MAX |
		  (v->mask != predict_mask(v)) * F_MASK | (v->val != predict_val(v)) * F_VAL;
	putu(w, present);
	if (present & F_UMIN)
		putu(w, v->umin);
	if (present & F_UMAX)
		putu(w, v->umax);
	if (present & F_SMIN)
		puts64(w, v->smin);
	if (present & F_SMAX)
		puts64(w, v->smax);
	if (present & F_U32MIN)
		putu(w, v->u32min);
	if (present & F_U32MAX)
		putu(w, v->u32max);
	if (present & F_S32MIN)
		puts64(w, v->s32min);
	if (present & F_S32MAX)
		puts64(w, v->s32max);
	if (present & F_MASK)
		putu(w, v->mask);
	if (present & F_VAL)
		putu(w, v->val);
}

static void get_value(struct rd *r, struct vfy_value *v, unsigned form)
{
	unsigned present;

	if (form == VAL_CONST) {
		value_of_const(v, getu(r));
		return;
	}
	if (form == VAL_UNKNOWN) {
		vv_unknown(v);
		return;
	}
	present = (unsigned)getu(r);
	v->umin = present & F_UMIN ? getu(r) : 0;
	v->umax = present & F_UMAX ? getu(r) : UINT64_MAX;
	v->smin = present & F_SMIN ? gets64(r) : predict_smin(v);
	v->smax = present & F_SMAX ? gets64(r) : predict_smax(v);
	v->u32min = present & F_U32MIN ? (uint32_t)getu(r) : predict_u32min(v);
	v->u32max = present & F_U32MAX ? (uint32_t)getu(r) : predict_u32max(v);
	v->s32min = present & F_S32MIN ? (int32_t)gets64(r) : predict_s32min(v);
	v->s32max = present & F_S32MAX ? (int32_t)gets64(r) : predict_s32max(v);
	v->mask = present & F_MASK ? getu(r) : predict_mask(v);
	v->val = present & F_VAL ? getu(r) : predict_val(v);
}

static void put_reg(struct wr *w, const struct vfy_reg *r)
{
	unsigned form = value_form(&r->v);
	unsigned present = (r->frame != 0) | (r->spare != 0) << 1 | (r->map != 0) << 2 | (r->id != 0) << 3 |
			   (r->ref != 0) << 4 | (r->size != 0) << 5 | (r->range != 0) << 6 |
			   (r->def_pc != VFY_NO_PC) << 7;

	put8(w, (uint8_t)(r->kind | form << 5));
	put8(w, r->flags);
	put8(w, (uint8_t)present);
	if (present & 1)
		putu(w, r->frame);
	if (present & 2)
		putu(w, r->spare);
	if (present & 4)
		putu(w, r->map);
	if (present & 8)
		putu(w, r->id);
	if (present & 16)
		putu(w, r->ref);
	if (present & 32)
		putu(w, r->size);
	if (present & 64)
		puts64(w, r->range);
	if (present & 128)
		putu(w, r->def_pc);
	put_value(w, &r->v, form);
}

/* Every field is written (the fields left out by put_reg get their defaults): no memset first. */
static void get_reg(struct rd *rd, struct vfy_reg *r)
{
	uint8_t b0 = get8(rd);
	unsigned present;

	r->kind = b0 & 31;
	r->flags = get8(rd);
	present = get8(rd);
	r->frame = present & 1 ? (uint8_t)getu(rd) : 0;
	r->spare = present & 2 ? (uint8_t)getu(rd) : 0;
	r->map = present & 4 ? (uint32_t)getu(rd) : 0;
	r->id = present & 8 ? (uint32_t)getu(rd) : 0;
	r->ref = present & 16 ? (uint32_t)getu(rd) : 0;
	r->size = present & 32 ? (uint32_t)getu(rd) : 0;
	r->range = present & 64 ? (int32_t)gets64(rd) : 0;
	r->def_pc = present & 128 ? (uint32_t)getu(rd) : VFY_NO_PC;
	get_value(rd, &r->v, (unsigned)(b0 >> 5) & 3);
}

enum { WORD_ZERO = 0, WORD_ONES = 1, WORD_RAW = 2 };

static void put_frame(struct wr *w, const struct vfy_frame *f, bool saved)
{
	unsigned forms = 0, bytes = 0;

	putu(w, (uint32_t)(f->callsite + 1));   /* VFY_NO_PC -> 0 */
	putu(w, f->func);
	putu(w, f->depth);
	for (unsigned i = 0; i < VFY_STACK_BYTES / 64; i++)
		forms |= (f->init[i] == 0 ? WORD_ZERO : f->init[i] == UINT64_MAX ? WORD_ONES : WORD_RAW) << (2 * i);
	put8(w, (uint8_t)forms);
	put8(w, (uint8_t)(forms >> 8));
	for (unsigned i = 0; i < VFY_STACK_BYTES / 64; i++)
		if (((forms >> (2 * i)) & 3) == WORD_RAW)
			put64raw(w, f->init[i]);
	for (unsigned i = 0; i < 8; i++)
		if ((f->spilled >> (8 * i)) & 0xff)
			bytes |= 1u << i;
	put8(w, (uint8_t)bytes);
	for (unsigned i = 0; i < 8; i++)
		if (bytes & (1u << i))
			put8(w, (uint8_t)(f->spilled >> (8 * i)));
	for (uint64_t m = f->spilled; m;) {
		unsigned s = pop_slot(&m);

		put8(w, f->spill_size[s]);
		put_reg(w, &f->spill[s]);
	}
	for (unsigned i = 0; saved && i < 4; i++)
		put_reg(w, &f->saved[i]);
}

static void get_frame(struct rd *r, struct vfy_frame *f, bool saved)
{
	unsigned forms, bytes;

	f->callsite = (uint32_t)getu(r) - 1;
	f->func = (uint32_t)getu(r);
	f->depth = (uint32_t)getu(r);
	forms = get8(r);
	forms |= (unsigned)get8(r) << 8;
	for (unsigned i = 0; i < VFY_STACK_BYTES / 64; i++) {
		unsigned form = (forms >> (2 * i)) & 3;

		f->init[i] = form == WORD_RAW ? get64raw(r) : form == WORD_ONES ? UINT64_MAX : 0;
	}
	bytes = get8(r);
	f->spilled = 0;
	for (unsigned i = 0; i < 8; i++)
		if (bytes & (1u << i))
			f->spilled |= (uint64_t)get8(r) << (8 * i);
	for (uint64_t m = f->spilled; m;) {
		unsigned s = pop_slot(&m);

		f->spill_size[s] = get8(r);
		get_reg(r, &f->spill[s]);
	}
	for (unsigned i = 0; i < 4; i++) {
		if (saved)
			get_reg(r, &f->saved[i]);
		else
			vfy_reg_uninit(&f->saved[i]);
	}
}

static void put_state(struct wr *w, const struct vfy_state *st)
{
	uint32_t nframes = st->nframes > VFY_MAX_FRAMES ? VFY_MAX_FRAMES : st->nframes;
	uint32_t nrefs = st->nrefs > VFY_MAX_REFS ? VFY_MAX_REFS : st->nrefs;

	putu(w, nframes);
	putu(w, nrefs);
	for (uint32_t i = 0; i < nrefs; i++)
		putu(w, st->refs[i]);
	putu(w, st->lock);
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		put_reg(w, &st->regs[i]);
	for (uint32_t f = 0; f < nframes; f++)
		put_frame(w, &st->frames[f], f > 0);
}

size_t vfy_state_packed_size(const struct vfy_state *st)
{
	struct wr w = { NULL, 0 };

	put_state(&w, st);
	return w.n;
}

void vfy_state_pack(const struct vfy_state *st, void *buf)
{
	struct wr w = { buf, 0 };

	put_state(&w, st);
}

/*
 * The most put_reg writes: kind, flags, presence (3 bytes), frame and
 * spare (2 each), map, id, ref, size, range, def_pc (5 each as LEB128 of
 * 32 bits), then the value's presence (2) and its fields (at most 10
 * bytes for 64 bits, 5 for 32).
 */
#define PACK_REG_MAX (3 + 2 + 2 + 6 * 5 + 2 + 6 * 10 + 4 * 5)

size_t vfy_state_packed_bound(const struct vfy_state *st)
{
	uint32_t nframes = st->nframes > VFY_MAX_FRAMES ? VFY_MAX_FRAMES : st->nframes;
	size_t n = 3 * 10 + VFY_MAX_REFS * 5 + NYK_REG_COUNT * PACK_REG_MAX;

	for (uint32_t f = 0; f < nframes; f++) {
		unsigned spills = (unsigned)__builtin_popcountll(st->frames[f].spilled);

		/* callsite, func, depth; init forms and words; spilled bytes; spills and saved regs */
		n += 3 * 5 + 2 + 8 * 8 + 1 + 8 + spills * (1 + PACK_REG_MAX) + 4 * PACK_REG_MAX;
	}
	return n;
}

size_t vfy_state_pack_n(const struct vfy_state *st, void *buf)
{
	struct wr w = { buf, 0 };

	put_state(&w, st);
	return w.n;
}

void vfy_state_unpack(struct vfy_state *st, const void *buf)
{
	struct rd r = { buf };

	st->nframes = (uint32_t)getu(&r);
	if (st->nframes > VFY_MAX_FRAMES)
		st->nframes = VFY_MAX_FRAMES;
	st->nrefs = (uint32_t)getu(&r);
	if (st->nrefs > VFY_MAX_REFS)
		st->nrefs = VFY_MAX_REFS;
	memset(st->refs, 0, sizeof(st->refs));
	for (uint32_t i = 0; i < st->nrefs; i++)
		st->refs[i] = (uint32_t)getu(&r);
	st->lock = (uint32_t)getu(&r);
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		get_reg(&r, &st->regs[i]);
	for (uint32_t f = 0; f < st->nframes; f++)
		get_frame(&r, &st->frames[f], f > 0);
}

/*
 * What vfy_state_unpack writes, copied from a state instead of decoded:
 * the header, the registers and the live frames' stacks (only spilled
 * slots; frame 0's saved registers uninitialised), so that a state taken
 * from a cache of unpacked states is the one unpacking would give.
 */
void vfy_state_copy_live(struct vfy_state *dst, const struct vfy_state *src)
{
	uint32_t nframes = src->nframes > VFY_MAX_FRAMES ? VFY_MAX_FRAMES : src->nframes;
	uint32_t nrefs = src->nrefs > VFY_MAX_REFS ? VFY_MAX_REFS : src->nrefs;

	dst->nframes = nframes;
	dst->nrefs = nrefs;
	memset(dst->refs, 0, sizeof(dst->refs));
	memcpy(dst->refs, src->refs, nrefs * sizeof(dst->refs[0]));
	dst->lock = src->lock;
	memcpy(dst->regs, src->regs, sizeof(dst->regs));
	for (uint32_t f = 0; f < nframes; f++) {
		struct vfy_frame *d = &dst->frames[f];
		const struct vfy_frame *sf = &src->frames[f];

		d->callsite = sf->callsite;
		d->func = sf->func;
		d->depth = sf->depth;
		memcpy(d->init, sf->init, sizeof(d->init));
		d->spilled = sf->spilled;
		for (uint64_t m = sf->spilled; m;) {
			unsigned sl = pop_slot(&m);

			d->spill_size[sl] = sf->spill_size[sl];
			d->spill[sl] = sf->spill[sl];
		}
		for (unsigned i = 0; i < 4; i++) {
			if (f > 0)
				d->saved[i] = sf->saved[i];
			else
				vfy_reg_uninit(&d->saved[i]);
		}
	}
}

/* ---- printing ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t size, len;
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL, o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

const char *vfy_kind_name(unsigned kind, unsigned flags)
{
	static const char *const base[VFY_KIND_COUNT] = {
		[VFY_NOT_INIT] = "not_init", [VFY_SCALAR] = "scalar", [VFY_CTX] = "ctx", [VFY_STACK] = "fp",
		[VFY_PKT] = "pkt", [VFY_PKT_END] = "pkt_end", [VFY_PKT_META] = "pkt_meta",
		[VFY_MAP_PTR] = "map_ptr", [VFY_MAP_VALUE] = "map_value", [VFY_MEM] = "mem", [VFY_FUNC] = "func",
	};
	/* [rdonly][nullable] */
	static const char *const map_value[2][2] = {
		{ "map_value", "map_value_or_null" }, { "rdonly_map_value", "rdonly_map_value_or_null" },
	};
	static const char *const mem[2][2] = { { "mem", "mem_or_null" }, { "rdonly_mem", "rdonly_mem_or_null" } };
	bool ro = flags & VFY_F_RDONLY, null = flags & VFY_F_NULLABLE;

	if (kind >= VFY_KIND_COUNT)
		return "invalid";
	if (kind == VFY_MAP_VALUE)
		return map_value[ro][null];
	if (kind == VFY_MEM) {
		if (flags & VFY_F_REF)
			return null ? "alloc_mem_or_null" : "alloc_mem";
		return mem[ro][null];
	}
	return base[kind];
}

/* A pointer offset: "14" or "[0,255]" (signed). */
static void out_off(struct out *o, const struct vfy_value *v)
{
	if (vv_is_const(v))
		outf(o, "%lld", (long long)(int64_t)v->val);
	else
		outf(o, "[%lld,%lld]", (long long)v->smin, (long long)v->smax);
}

static void out_reg(struct out *o, const struct vfy_reg *r)
{
	char vb[96];

	if (r->kind == VFY_NOT_INIT) {
		outf(o, "?");
		return;
	}
	if (r->kind == VFY_SCALAR) {
		outf(o, "scalar(");
		if (r->id)
			outf(o, "id=%u,", r->id);
		outf(o, "%s", vv_print(&r->v, vb, sizeof(vb)));
		if (r->size)   /* slack: value + size <= packet length (transfer.c) */
			outf(o, ",slack=%u", r->size);
		outf(o, ")");
		return;
	}
	outf(o, "%s", vfy_kind_name(r->kind, r->flags));
	switch (r->kind) {
	case VFY_STACK:
		if (r->frame)
			outf(o, "%u", r->frame);
		outf(o, "(off=");
		out_off(o, &r->v);
		outf(o, ")");
		return;
	case VFY_PKT:
	case VFY_PKT_META:
		outf(o, "(");
		if (r->id)
			outf(o, "id=%u,", r->id);
		outf(o, "off=");
		out_off(o, &r->v);
		outf(o, ",r=%d)", r->range > 0 ? r->range : 0);   /* <= 0: nothing proven */
		return;
	case VFY_PKT_END:
		return;
	case VFY_MAP_PTR:
		outf(o, "(map=%u)", r->map);
		return;
	case VFY_FUNC:
		outf(o, "(");
		out_off(o, &r->v);
		outf(o, ")");
		return;
	case VFY_MAP_VALUE:
		outf(o, "(map=%u", r->map);
		break;
	case VFY_MEM:
		outf(o, "(size=%u", r->size);
		break;
	default:   /* VFY_CTX */
		outf(o, "(");
		break;
	}
	/* ctx, map values, memory: the offset (left out for unchecked nullable pointers at 0), id, ref */
	if (!((r->flags & VFY_F_NULLABLE) && vv_is_const(&r->v) && r->v.val == 0)) {
		outf(o, r->kind == VFY_CTX ? "off=" : ",off=");
		out_off(o, &r->v);
	}
	if (r->id)
		outf(o, ",id=%u", r->id);
	if (r->ref)
		outf(o, ",ref=%u", r->ref);
	outf(o, ")");
}

const char *vfy_reg_print(const struct vfy_reg *r, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	out_reg(&o, r);
	return buf;
}

/* Initialised bytes of slot s without a spill: "misc" when all 8 are, else one char per byte ('m' or '?') from the lowest address. */
static void out_slot_bytes(struct out *o, const struct vfy_frame *f, unsigned s)
{
	unsigned bits = (unsigned)(f->init[s / 8] >> (s % 8 * 8)) & 0xff;

	if (bits == 0xff) {
		outf(o, "misc");
		return;
	}
	for (unsigned i = 0; i < 8; i++)
		outf(o, "%c", (bits >> i) & 1 ? 'm' : '?');
}

size_t vfy_state_print(const struct vfy_state *st, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct vfy_frame *f;
	const char *sep = "";

	if (size)
		buf[0] = '\0';
	if (st->nframes > 1)
		outf(&o, "frame%u: ", st->nframes - 1);
	for (unsigned i = 0; i < NYK_REG_COUNT; i++) {
		if (st->regs[i].kind == VFY_NOT_INIT)
			continue;
		outf(&o, "%sr%u=", sep, i);
		out_reg(&o, &st->regs[i]);
		sep = " ";
	}
	f = &st->frames[st->nframes >= 1 && st->nframes <= VFY_MAX_FRAMES ? st->nframes - 1 : 0];
	for (int s = VFY_SLOTS - 1; s >= 0; s--) {
		bool spill = is_spill(f, (unsigned)s);
		bool init = (f->init[s / 8] >> (s % 8 * 8)) & 0xff;

		if (!spill && !init)
			continue;
		outf(&o, "%sfp%d=", sep, s * 8 - VFY_STACK_BYTES);
		sep = " ";
		if (spill)
			out_reg(&o, &f->spill[s]);
		else
			out_slot_bytes(&o, f, (unsigned)s);
	}
	if (st->nrefs) {
		outf(&o, "%srefs=", sep);
		for (uint32_t i = 0; i < st->nrefs && i < VFY_MAX_REFS; i++)
			outf(&o, i ? ",%u" : "%u", st->refs[i]);
		sep = " ";
	}
	if (st->lock)
		outf(&o, "%slock=%u", sep, st->lock);
	return o.len;
}
