/*
 * engine.c - the verifier's fixpoint.
 *
 * Every function is analysed once per call chain that reaches it (a
 * context), like inlining: the state at each basic block's entry is
 * stored packed, per context. Within a context a worklist runs blocks in
 * reverse postorder, always the lowest pending one first, so inner loops
 * settle before the code after them runs; joins at loop heads become
 * widenings after two plain joins, and two narrowing passes win back the
 * precision widening gave away. A call analyses the callee's context to
 * its fixpoint and continues with the join of its exits; a second call
 * whose entry state adds nothing reuses that result. A helper that runs
 * a callback (bpf_loop) loops the callback's effect on the caller's state
 * until it adds nothing.
 *
 * Rejections are provisional while states move: a refused instruction
 * ends its block's run with no successor. A checking pass over the
 * settled states then runs every stored block again with rejections
 * final and checks that everything it produces is already covered; if
 * not, the analysis resumes from there, a bounded number of rounds
 * (analyse_main).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"
#include "verifier/eng.h"

#define ENG_WIDEN_AFTER 2
/* After this many widenings at a head, bounds jump to the type's limits: loops cost no more than that. */
#define ENG_THRESHOLD_STEPS 24
/* Blocks over all call contexts before the analysis gives up (contexts multiply like inlining). */
#define ENG_MAX_CTX_BLOCKS 2000000
#define ENG_NARROW_PASSES 2
/* Checking passes that may find the fixpoint incomplete before provisional rejections become final. */
#define ENG_MAX_ROUNDS 8
/* Times the trip-count refinement may be recomputed from states that did not confirm it. */
#define ENG_TRIP_CHECKS 4

/* ---- memory ------------------------------------------------------------------ */

void *eng_alloc(struct eng *E, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p) {
		E->bytes += n;
		if (E->bytes > E->peak)
			E->peak = E->bytes;
	}
	return p;
}

void *eng_calloc(struct eng *E, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = calloc(n ? n : 1, size ? size : 1);
	if (p) {
		E->bytes += n * size;
		if (E->bytes > E->peak)
			E->peak = E->bytes;
	}
	return p;
}

void eng_free(struct eng *E, void *p, size_t n)
{
	if (!p)
		return;
	E->bytes -= n;
	free(p);
}

/*
 * A packed state is preceded by 16 bytes (keeps the data aligned): its
 * size, and its serial number, which picks its place in the cache of
 * unpacked states (by order of packing, not by address: the cache's
 * allocations, hence peak_bytes, must not depend on the heap).
 */
#define PK_HDR 16

/*
 * Encoded once into a scratch buffer of the size's upper bound, then
 * copied into an allocation of the exact size (encoding twice, to count
 * and to write, cost more than the copy).
 */
void *eng_pack(struct eng *E, const struct vfy_state *st)
{
	size_t bound = vfy_state_packed_bound(st), n;
	uint8_t *p;

	if (bound > E->pk_cap) {
		size_t cap = bound > 2 * E->pk_cap ? bound : 2 * E->pk_cap;
		uint8_t *b = eng_alloc(E, cap);

		if (!b)
			return NULL;
		eng_free(E, E->pk_buf, E->pk_cap);
		E->pk_buf = b;
		E->pk_cap = cap;
	}
	n = vfy_state_pack_n(st, E->pk_buf);
	if (!(p = eng_alloc(E, n + PK_HDR)))
		return NULL;
	memcpy(p, &n, sizeof(n));
	memcpy(p + 8, &E->pk_serial, sizeof(E->pk_serial));
	E->pk_serial++;
	memcpy(p + PK_HDR, E->pk_buf, n);
	return p + PK_HDR;
}

void eng_unpack(const void *pk, struct vfy_state *st)
{
	vfy_state_unpack(st, pk);
}

static unsigned cache_slot(const void *pk)
{
	uint64_t serial;

	memcpy(&serial, (const uint8_t *)pk - PK_HDR + 8, sizeof(serial));
	return (unsigned)(serial % ENG_CACHE);
}

/* Bytes of a state whose frames [0, nframes) are used (vfy_state_copy_live touches no others). */
static size_t state_bytes(uint32_t nframes)
{
	return offsetof(struct vfy_state, frames) + nframes * sizeof(struct vfy_frame);
}

/*
 * Remember st as the unpacked form of pk (nothing when out of memory: the
 * cache is only a shortcut). An entry holds only as many frames as the
 * deepest state it held: most programs need one.
 */
static void cache_put(struct eng *E, const void *pk, const struct vfy_state *st)
{
	unsigned i = cache_slot(pk);
	uint32_t nframes = st->nframes > VFY_MAX_FRAMES ? VFY_MAX_FRAMES : st->nframes;

	E->cache_pk[i] = NULL;
	if (nframes > E->cache_frames[i]) {
		eng_free(E, E->cache_st[i], state_bytes(E->cache_frames[i]));
		E->cache_frames[i] = 0;
		if (!(E->cache_st[i] = eng_calloc(E, 1, state_bytes(nframes))))
			return;
		E->cache_frames[i] = nframes;
	}
	vfy_state_copy_live(E->cache_st[i], st);
	E->cache_pk[i] = pk;
}

void eng_load(struct eng *E, const void *pk, struct vfy_state *st, bool keep)
{
	unsigned i = cache_slot(pk);

	if (E->cache_pk[i] == pk) {
		vfy_state_copy_live(st, E->cache_st[i]);
		return;
	}
	vfy_state_unpack(st, pk);
	if (keep)
		cache_put(E, pk, st);
}

void eng_pack_free(struct eng *E, void *pk)
{
	uint8_t *p;
	size_t n;

	if (!pk)
		return;
	if (E->cache_pk[cache_slot(pk)] == pk)
		E->cache_pk[cache_slot(pk)] = NULL;   /* the address may come back for another state */
	p = (uint8_t *)pk - PK_HDR;
	memcpy(&n, p, sizeof(n));
	eng_free(E, p, n + PK_HDR);
}

/* Replace a stored state; false when out of memory. */
static bool store(struct eng *E, void **slot, const struct vfy_state *st)
{
	void *pk = eng_pack(E, st);

	if (!pk)
		return false;
	eng_pack_free(E, *slot);
	*slot = pk;
	cache_put(E, pk, st);
	return true;
}

static struct eng_ws *ws_get(struct eng *E, uint32_t level)
{
	struct eng_ws *w = &E->ws[level];

	if (!w->st) {
		/*
		 * Zeroed: unpacking writes only the live part of a state, so
		 * whatever else a scratch state holds must not depend on what
		 * the heap held before this call (a verdict must not either).
		 */
		w->st = eng_calloc(E, 1, sizeof(struct vfy_state));
		w->taken = eng_calloc(E, 1, sizeof(struct vfy_state));
		w->tmp = eng_calloc(E, 1, sizeof(struct vfy_state));
		w->tmp2 = eng_calloc(E, 1, sizeof(struct vfy_state));
		if (!w->st || !w->taken || !w->tmp || !w->tmp2)
			return NULL;
	}
	return w;
}

/* ---- contexts ------------------------------------------------------------------ */

#define CTX(ci) (&E->ctxs[(ci)])

static size_t ctx_hash(uint32_t parent, uint32_t callsite, uint32_t func)
{
	uint64_t h = ((uint64_t)parent * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)callsite * 0xc2b2ae3d27d4eb4full) ^
		     ((uint64_t)func * 0x165667b19e3779f9ull);
	return (size_t)(h ^ (h >> 29));
}

static int ctx_rehash(struct eng *E, size_t cap)
{
	uint32_t *t = eng_calloc(E, cap, sizeof(uint32_t));

	if (!t)
		return -ENOMEM;
	for (uint32_t i = 0; i < E->nctx; i++) {
		size_t h = ctx_hash(E->ctxs[i].parent, E->ctxs[i].callsite, E->ctxs[i].func) & (cap - 1);
		while (t[h])
			h = (h + 1) & (cap - 1);
		t[h] = i + 1;
	}
	eng_free(E, E->htab, E->hcap * sizeof(uint32_t));
	E->htab = t;
	E->hcap = cap;
	return 0;
}

/* The context for (parent, callsite, func), made on first use; ENG_NONE when out of memory. */
static uint32_t ctx_get(struct eng *E, uint32_t parent, uint32_t callsite, uint32_t func)
{
	const struct eng_func *f = &E->cfg.funcs[func];
	struct eng_ctx *c;
	size_t h;

	if (E->htab) {
		for (h = ctx_hash(parent, callsite, func) & (E->hcap - 1); E->htab[h]; h = (h + 1) & (E->hcap - 1)) {
			c = CTX(E->htab[h] - 1);
			if (c->parent == parent && c->callsite == callsite && c->func == func)
				return E->htab[h] - 1;
		}
	}
	if (E->nctx == E->ctx_cap) {
		uint32_t cap = E->ctx_cap ? E->ctx_cap * 2 : 16;
		struct eng_ctx *n = eng_calloc(E, cap, sizeof(*n));
		if (!n)
			return ENG_NONE;
		if (E->ctxs)
			memcpy(n, E->ctxs, E->nctx * sizeof(*n));
		eng_free(E, E->ctxs, E->ctx_cap * sizeof(*n));
		E->ctxs = n;
		E->ctx_cap = cap;
	}
	if ((E->nctx + 1) * 2 > E->hcap && ctx_rehash(E, E->hcap ? E->hcap * 2 : 64))
		return ENG_NONE;
	c = CTX(E->nctx);
	memset(c, 0, sizeof(*c));
	c->parent = parent;
	c->callsite = callsite;
	c->func = func;
	c->nframes = parent == ENG_NONE ? 1 : CTX(parent)->nframes + 1;
	c->entry = eng_calloc(E, f->nblocks, sizeof(void *));
	c->nupd = eng_calloc(E, f->nblocks, sizeof(uint32_t));
	c->dirty = eng_calloc(E, (f->nblocks + 63) / 64, sizeof(uint64_t));
	c->depth_pc = callsite == ENG_NONE ? f->start : callsite;
	E->ctx_blocks += f->nblocks;
	if (!c->entry || !c->nupd || !c->dirty)
		return ENG_NONE;
	for (h = ctx_hash(parent, callsite, func) & (E->hcap - 1); E->htab[h]; h = (h + 1) & (E->hcap - 1))
		;
	E->htab[h] = E->nctx + 1;
	return E->nctx++;
}

static void ctx_release(struct eng *E, struct eng_ctx *c)
{
	const struct eng_func *f = &E->cfg.funcs[c->func];

	if (c->entry)
		for (uint32_t i = 0; i < f->nblocks; i++)
			eng_pack_free(E, c->entry[i]);
	eng_free(E, c->entry, f->nblocks * sizeof(void *));
	eng_free(E, c->nupd, f->nblocks * sizeof(uint32_t));
	eng_free(E, c->dirty, (f->nblocks + 63) / 64 * sizeof(uint64_t));
	eng_pack_free(E, c->in);
	eng_pack_free(E, c->out);
}

static void mark_dirty(struct eng_ctx *c, uint32_t lb)
{
	c->dirty[lb / 64] |= 1ull << (lb % 64);
	if (lb < c->dirty_lo)
		c->dirty_lo = lb;
}

static uint32_t take_dirty(struct eng_ctx *c, uint32_t nblocks)
{
	for (uint32_t w = c->dirty_lo / 64; w < (nblocks + 63) / 64; w++) {
		if (c->dirty[w]) {
			uint32_t lb = w * 64 + (uint32_t)__builtin_ctzll(c->dirty[w]);
			c->dirty[w] &= c->dirty[w] - 1;
			c->dirty_lo = lb;
			return lb;
		}
	}
	c->dirty_lo = nblocks;
	return ENG_NONE;
}

/* ---- ids before a join ------------------------------------------------------------- */

/*
 * The join keeps an id where the registers carrying it on one side carry
 * one id on the other side too (state.c). Two steps, both exact or sound,
 * let it keep more:
 *
 *  - a packet pointer with id 0 and a constant offset c is data + c:
 *    exactly a member, with variable part 0, of any group; where it meets
 *    an id on the other side it joins a fresh group standing for that id
 *    (`p = data + i` where i is still the constant 0 on the first
 *    iteration and a variable later);
 *  - a group whose members meet different ids on the other side is split
 *    into one fresh group per id met: members of a subgroup still share
 *    everything the group shared, only the link between the subgroups is
 *    forgotten.
 *
 * The held spin lock's id is never renamed.
 */
struct id_work {
	struct vfy_env *env;
	uint32_t lock_a, lock_b;
	unsigned n;
	struct { uint32_t a, b, new_a, new_b; } pair[NYK_REG_COUNT + VFY_MAX_FRAMES * (VFY_SLOTS + 4)];
	unsigned nz;
	struct { uint8_t side; uint32_t other, id; } zero[32];
};

typedef void (*pos_fn)(struct id_work *w, struct vfy_reg *a, struct vfy_reg *b);

static void each_pos(struct vfy_state *a, struct vfy_state *b, pos_fn fn, struct id_work *w)
{
	for (int r = 0; r < NYK_REG_COUNT; r++)
		fn(w, &a->regs[r], &b->regs[r]);
	for (uint32_t f = 0; f < a->nframes; f++) {
		struct vfy_frame *fa = &a->frames[f], *fb = &b->frames[f];
		uint64_t both = fa->spilled & fb->spilled;

		while (both) {
			unsigned sl = (unsigned)__builtin_ctzll(both);

			both &= both - 1;
			fn(w, &fa->spill[sl], &fb->spill[sl]);
		}
		for (int i = 0; f > 0 && i < 4; i++)
			fn(w, &fa->saved[i], &fb->saved[i]);
	}
}

static bool pkt_kind(unsigned k)
{
	return k == VFY_PKT || k == VFY_PKT_META;
}

static void zero_into_group(struct id_work *w, struct vfy_reg *x, const struct vfy_reg *y, uint8_t side)
{
	if (!pkt_kind(x->kind) || x->kind != y->kind || x->id != 0 || y->id == 0 || !vv_is_const(&x->v))
		return;
	for (unsigned i = 0; i < w->nz; i++)
		if (w->zero[i].side == side && w->zero[i].other == y->id) {
			x->id = w->zero[i].id;
			return;
		}
	if (w->nz == sizeof(w->zero) / sizeof(w->zero[0]))
		return;
	w->zero[w->nz].side = side;
	w->zero[w->nz].other = y->id;
	w->zero[w->nz].id = vfy_new_id(w->env);
	x->id = w->zero[w->nz++].id;
}

static void pos_zero(struct id_work *w, struct vfy_reg *a, struct vfy_reg *b)
{
	zero_into_group(w, a, b, 0);
	zero_into_group(w, b, a, 1);
}

static int pair_index(const struct id_work *w, uint32_t a, uint32_t b)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->pair[i].a == a && w->pair[i].b == b)
			return (int)i;
	return -1;
}

static void pos_collect(struct id_work *w, struct vfy_reg *a, struct vfy_reg *b)
{
	if (!a->id || !b->id || pair_index(w, a->id, b->id) >= 0)
		return;
	w->pair[w->n].a = a->id;
	w->pair[w->n].b = b->id;
	w->pair[w->n].new_a = w->pair[w->n].new_b = 0;
	w->n++;
}

/* One walk for both: a position's zero step changes only that position's ids, which its collect step then reads. */
static void pos_zero_collect(struct id_work *w, struct vfy_reg *a, struct vfy_reg *b)
{
	pos_zero(w, a, b);
	pos_collect(w, a, b);
}

static void pos_rename(struct id_work *w, struct vfy_reg *a, struct vfy_reg *b)
{
	int i;

	if (!a->id || !b->id || (i = pair_index(w, a->id, b->id)) < 0)
		return;
	if (w->pair[i].new_a)
		a->id = w->pair[i].new_a;
	if (w->pair[i].new_b)
		b->id = w->pair[i].new_b;
}

static void align_ids(struct eng *E, struct vfy_state *a, struct vfy_state *b)
{
	static _Thread_local struct id_work w;
	bool renames = false;

	if (a->nframes != b->nframes)
		return;
	w.env = &E->env;
	w.lock_a = a->lock;
	w.lock_b = b->lock;
	w.n = w.nz = 0;
	each_pos(a, b, pos_zero_collect, &w);
	for (unsigned i = 0; i < w.n; i++)
		for (unsigned j = 0; j < i; j++) {
			if (w.pair[j].a == w.pair[i].a && !w.pair[i].new_a && w.pair[i].a != w.lock_a) {
				w.pair[i].new_a = vfy_new_id(&E->env);
				renames = true;
			}
			if (w.pair[j].b == w.pair[i].b && !w.pair[i].new_b && w.pair[i].b != w.lock_b) {
				w.pair[i].new_b = vfy_new_id(&E->env);
				renames = true;
			}
		}
	if (renames)
		each_pos(a, b, pos_rename, &w);
}

static bool has_dirty(const struct eng_ctx *c, uint32_t nblocks)
{
	for (uint32_t w = c->dirty_lo / 64; w < (nblocks + 63) / 64; w++)
		if (c->dirty[w])
			return true;
	return false;
}

/*
 * The checking pass found something new in context ci: the next round
 * must run it again, and so must the blocks of its callers' call sites
 * (that is how a callee is reached; its callers also read its result).
 */
static void note_growth(struct eng *E, uint32_t ci)
{
	E->grew = true;
	for (uint32_t a = ci; CTX(a)->parent != ENG_NONE; a = CTX(a)->parent) {
		struct eng_ctx *p = CTX(CTX(a)->parent);
		mark_dirty(p, E->cfg.blocks[E->cfg.block_of[CTX(a)->callsite]].rpo);
	}
}

/* A provisional rejection: remember the round's first one (reported if rounds run out), then forget it. */
static void forget_rejection(struct eng *E)
{
	E->soft_count++;
	if (E->soft_pc < 0) {
		E->soft_pc = E->env.reject_pc;
		memcpy(E->soft_blame, E->env.blame, sizeof(E->soft_blame));
		memcpy(E->soft_reason, E->env.reason, sizeof(E->soft_reason));
	}
	E->env.reason[0] = 0;
	E->env.reject_pc = -1;
	E->env.blame[0] = E->env.blame[1] = E->env.blame[2] = -1;
}

/*
 * The trip-count refinement of a state entering loop head lb of context
 * ci (when one applies): each bounded register's value or offset meets
 * its range. A register of another kind there, or a meet that comes out
 * empty, is left as it is (bigger, so sound).
 */
static void trip_meet(const struct eng *E, uint32_t ci, uint32_t lb, struct vfy_state *st)
{
	const struct eng_trip *t;

	if (!E->trip || ci != E->trip_ctx || !E->trip[lb].regs)
		return;
	t = &E->trip[lb];
	for (unsigned r = 0; r < NYK_REG_COUNT; r++) {
		struct vfy_reg *x = &st->regs[r];
		struct vfy_value v;

		if (!(t->regs >> r & 1) || x->kind != t->kind[r] || (x->flags & VFY_F_NULLABLE))
			continue;
		v = x->v;
		if (v.smin < t->lo[r])
			v.smin = t->lo[r];
		if (v.smax > t->hi[r])
			v.smax = t->hi[r];
		if (v.smin <= v.smax && vv_sync(&v))
			x->v = v;
	}
}

/*
 * Join `s` into the stored entry of block `lb` of context ci (widening at
 * loop heads once they grew twice). 1: it grew (the block is pending), 0:
 * nothing new, <0: error.
 */
static int propagate(struct eng *E, uint32_t ci, uint32_t lb, struct vfy_state *s)
{
	struct eng_ctx *c = CTX(ci);
	const struct eng_func *f = &E->cfg.funcs[c->func];
	struct vfy_state *t = E->ws[c->nframes - 1].tmp;

	trip_meet(E, ci, lb, s);
	if (!c->entry[lb]) {
		if (!store(E, &c->entry[lb], s))
			return -ENOMEM;
		mark_dirty(c, lb);
		return 1;
	}
	eng_load(E, c->entry[lb], t, true);
	align_ids(E, t, s);
	if (vfy_state_leq(s, t))
		return 0;
	if (f->is_head[lb] && c->nupd[lb] >= ENG_WIDEN_AFTER + ENG_THRESHOLD_STEPS) {
		static const struct vfy_thresholds none;
		vfy_state_widen(t, s, &none);
	} else if (f->is_head[lb] && c->nupd[lb] >= ENG_WIDEN_AFTER) {
		vfy_state_widen(t, s, &E->env.thresholds);
	} else {
		vfy_state_join(t, s);
	}
	c->nupd[lb]++;
	trip_meet(E, ci, lb, t);
	if (!store(E, &c->entry[lb], t))
		return -ENOMEM;
	mark_dirty(c, lb);
	return 1;
}

/* Join s into a packed accumulator (NULL: empty), using scratch t. */
static int accumulate(struct eng *E, void **acc, struct vfy_state *s, struct vfy_state *t)
{
	if (!*acc)
		return store(E, acc, s) ? 1 : -ENOMEM;
	eng_load(E, *acc, t, true);
	align_ids(E, t, s);
	if (vfy_state_leq(s, t))
		return 0;
	vfy_state_join(t, s);
	return store(E, acc, t) ? 1 : -ENOMEM;
}

/* ---- frames -------------------------------------------------------------------- */

static void reg_stack(struct vfy_reg *r, uint32_t frame)
{
	memset(r, 0, sizeof(*r));
	r->kind = VFY_STACK;
	r->frame = (uint8_t)frame;
	r->def_pc = VFY_NO_PC;
	vv_const(&r->v, 0);
}

/* Enter a function: the callee gets r1..r5, a fresh frame and r10; the caller's r6..r9 are saved. */
static void push_frame(struct vfy_state *st, uint32_t callsite, uint32_t func_start)
{
	uint32_t n = st->nframes;
	struct vfy_frame *f = &st->frames[n];

	memset(f, 0, sizeof(*f));
	f->callsite = callsite;
	f->func = func_start;
	for (int i = 0; i < 4; i++)
		f->saved[i] = st->regs[6 + i];
	vfy_reg_uninit(&st->regs[0]);
	for (int r = 6; r <= 9; r++)
		vfy_reg_uninit(&st->regs[r]);
	reg_stack(&st->regs[NYK_REG_FP], n);
	st->nframes = n + 1;
}

static bool points_into(const struct vfy_reg *r, uint32_t frame)
{
	return r->kind == VFY_STACK && r->frame == frame;
}

/* Leave a function: r0 stays, r1..r5 die, r6..r9 and r10 come back; pointers into the dead frame die. */
static int pop_frame(struct eng *E, uint32_t pc, struct vfy_state *st)
{
	uint32_t callee = st->nframes - 1;
	struct vfy_frame *f = &st->frames[callee];

	if (points_into(&st->regs[0], callee)) {
		vfy_blame(&E->env, 0);
		return vfy_reject(&E->env, pc, "returning a pointer to the callee's stack");
	}
	for (int r = 1; r <= 5; r++)
		vfy_reg_uninit(&st->regs[r]);
	for (int i = 0; i < 4; i++)
		st->regs[6 + i] = f->saved[i];
	reg_stack(&st->regs[NYK_REG_FP], callee - 1);
	st->nframes = callee;
	memset(f, 0, sizeof(*f));
	for (int r = 0; r < NYK_REG_FP; r++)
		if (points_into(&st->regs[r], callee))
			vfy_reg_uninit(&st->regs[r]);
	for (uint32_t k = 0; k < callee; k++) {
		struct vfy_frame *g = &st->frames[k];
		for (unsigned s = 0; s < VFY_SLOTS; s++) {
			if (!(g->spilled >> s & 1) || !points_into(&g->spill[s], callee))
				continue;
			/* what is left there is the address of a dead frame: unreadable */
			g->spilled &= ~(1ull << s);
			g->init[s / 8] &= ~(0xffull << (s % 8 * 8));
			vfy_reg_uninit(&g->spill[s]);
		}
		if (k > 0)
			for (int i = 0; i < 4; i++)
				if (points_into(&g->saved[i], callee))
					vfy_reg_uninit(&g->saved[i]);
	}
	return 0;
}

/* ---- calls --------------------------------------------------------------------- */

static int analyse(struct eng *E, uint32_t ci);

/*
 * Analyse function fi called at pc from context ci with the callee's
 * entry state `entry` (frame pushed). *cc receives its context; the
 * caller continues with CTX(*cc)->out (NULL: the call never returns).
 */
static int enter(struct eng *E, uint32_t ci, uint32_t pc, uint32_t fi, struct vfy_state *entry, bool callback,
		 int64_t ret_min, int64_t ret_max, uint32_t *cc)
{
	uint32_t c;
	int rc, grown;

	for (uint32_t a = ci; a != ENG_NONE; a = CTX(a)->parent)
		if (CTX(a)->func == fi) {
			E->hard = true;
			return vfy_reject(&E->env, pc, "recursive call of function at insn %u", E->cfg.funcs[fi].start);
		}
	c = ctx_get(E, ci, pc, fi);
	if (c == ENG_NONE)
		return -ENOMEM;
	if (E->ctx_blocks > ENG_MAX_CTX_BLOCKS + 16 * E->env.count) {
		E->hard = true;
		return vfy_reject(&E->env, pc, "too many call chains to analyse (%u): the program's calls multiply",
				  E->nctx);
	}
	*cc = c;
	CTX(c)->callback = callback;
	CTX(c)->ret_min = ret_min;
	CTX(c)->ret_max = ret_max;
	if (E->replay)
		return 0;
	if (!ws_get(E, CTX(c)->nframes - 1))
		return -ENOMEM;
	if ((rc = accumulate(E, &CTX(c)->in, entry, E->ws[CTX(c)->nframes - 1].tmp)) < 0)
		return rc;
	grown = rc;
	if ((rc = propagate(E, c, 0, entry)) < 0)
		return rc;
	grown |= rc;
	E->grown += grown != 0;
	if (E->checking) {
		/* the check only notes that the callee's fixpoint is incomplete; the next round analyses it */
		if (grown)
			note_growth(E, c);
		return 0;
	}
	if (!rc && !has_dirty(CTX(c), E->cfg.funcs[fi].nblocks))
		return 0;
	return analyse(E, c);
}

static int check_depth(struct eng *E, uint32_t pc, const struct vfy_state *st)
{
	if (st->nframes >= VFY_MAX_FRAMES) {
		E->hard = true;
		return vfy_reject(&E->env, pc, "calls nested deeper than 8 frames");
	}
	return 0;
}

/* A bpf-to-bpf call (call src 1, or callx of a known function). 1: st is the state after it; 0: it never returns. */
static int do_call(struct eng *E, uint32_t ci, uint32_t pc, uint32_t target, struct vfy_state *st)
{
	uint32_t level = CTX(ci)->nframes - 1, cc;
	struct eng_ws *w;
	int rc;

	if ((rc = check_depth(E, pc, st)))
		return rc;
	if (!(w = ws_get(E, level + 1)))
		return -ENOMEM;
	vfy_state_copy(w->st, st);
	push_frame(w->st, pc, target);
	rc = enter(E, ci, pc, (uint32_t)E->cfg.func_at[target], w->st, false, 0, 0, &cc);
	if (rc < 0)
		return rc;
	if (!CTX(cc)->out)
		return 0;
	eng_load(E, CTX(cc)->out, st, false);
	return 1;
}

static int do_callx(struct eng *E, uint32_t ci, uint32_t pc, struct vfy_state *st)
{
	unsigned r = nyk_insn_dst(&E->env.insns[pc]);
	const struct vfy_reg *reg = &st->regs[r];

	if (reg->kind == VFY_NOT_INIT)
		return vfy_reject(&E->env, pc, "r%u is not initialised", r);
	if (reg->kind != VFY_FUNC || !vv_is_const(&reg->v) || reg->v.val >= E->env.count ||
	    E->cfg.func_at[reg->v.val] < 0) {
		vfy_blame(&E->env, (int)r);
		return vfy_reject(&E->env, pc, "callx target r%u is not a known function", r);
	}
	return do_call(E, ci, pc, (uint32_t)reg->v.val, st);
}

/*
 * A helper that runs a callback any number of times (bpf_loop,
 * bpf_for_each_map_elem): st is the state after the helper; the callback
 * may change the caller's stack through its arguments, so the state after
 * the call is the fixpoint of "st, or what one more run of the callback
 * leaves".
 */
static int do_callback(struct eng *E, uint32_t ci, uint32_t pc, struct vfy_state *st)
{
	uint32_t level = CTX(ci)->nframes - 1, target = E->env.callback.func, cc;
	struct eng_ws *w = &E->ws[level], *cw;
	struct vfy_reg args[5], r0 = st->regs[0];
	int64_t ret_min = E->env.callback.ret_min, ret_max = E->env.callback.ret_max;
	struct vfy_state *acc = w->tmp2, *x = w->tmp;
	int rc;

	memcpy(args, E->env.callback.args, sizeof(args));
	if (target >= E->env.count || E->cfg.func_at[target] < 0)
		return vfy_reject(&E->env, pc, "callback at insn %u is not a known function", target);
	if ((rc = check_depth(E, pc, st)))
		return rc;
	if (!(cw = ws_get(E, level + 1)))
		return -ENOMEM;
	vfy_state_copy(acc, st);
	for (unsigned k = 0;; k++) {
		vfy_state_copy(cw->st, acc);
		push_frame(cw->st, pc, target);
		memcpy(&cw->st->regs[1], args, sizeof(args));
		rc = enter(E, ci, pc, (uint32_t)E->cfg.func_at[target], cw->st, true, ret_min, ret_max, &cc);
		if (rc < 0)
			return rc;
		if (!CTX(cc)->out)
			break;
		eng_load(E, CTX(cc)->out, x, false);
		x->regs[0] = r0;   /* the helper's result, not the callback's */
		align_ids(E, acc, x);
		if (vfy_state_leq(x, acc))
			break;
		if (k >= ENG_WIDEN_AFTER)
			vfy_state_widen(acc, x, &E->env.thresholds);
		else
			vfy_state_join(acc, x);
	}
	vfy_state_copy(st, acc);
	return 1;
}

/* exit: the program's (checked by transfer.c) or a function's (back to the caller). */
static int do_exit(struct eng *E, uint32_t ci, uint32_t pc, struct vfy_state *st)
{
	struct eng_ctx *c = CTX(ci);
	const struct vfy_reg *r0 = &st->regs[0];
	char buf[96];
	int rc;

	if (st->nframes == 1)
		return vfy_check_exit(&E->env, pc, st);
	if (c->callback) {
		if (r0->kind == VFY_NOT_INIT)
			return vfy_reject(&E->env, pc, "r0 is not initialised at exit");
		if (r0->kind != VFY_SCALAR || r0->v.smin < c->ret_min || r0->v.smax > c->ret_max) {
			vfy_blame(&E->env, 0);
			return vfy_reject(&E->env, pc, "callback return value %s is outside [%lld,%lld]",
					  vfy_reg_print(r0, buf, sizeof(buf)), (long long)c->ret_min,
					  (long long)c->ret_max);
		}
	}
	if ((rc = pop_frame(E, pc, st)))
		return rc;
	if (E->replay)
		return 0;
	rc = accumulate(E, &CTX(ci)->out, st, E->ws[CTX(ci)->nframes - 1].tmp);
	if (rc > 0 && E->checking)
		note_growth(E, ci);   /* the callers must run again with the larger result */
	return rc < 0 ? rc : 0;
}

/* ---- blocks -------------------------------------------------------------------- */

static void add_out(struct eng_out *out, uint32_t blk, struct vfy_state *st)
{
	out->blk[out->n] = blk;
	out->st[out->n] = st;
	out->n++;
}

static void capture(struct eng *E, uint32_t ci, uint32_t b, const void *in, uint32_t pc)
{
	struct eng_out out;
	bool replay = E->replay;

	if (E->err_captured || E->env.reject_pc != (long)pc)
		return;
	E->err_captured = true;
	E->err_ctx = ci;
	if (!E->err_state && !(E->err_state = eng_calloc(E, 1, sizeof(struct vfy_state))))
		return;
	E->replay = true;
	if (eng_run_block(E, ci, b, in, &out, NULL, NULL, pc) == 0)
		vfy_state_copy(E->err_state, E->ws[CTX(ci)->nframes - 1].st);
	else
		vfy_state_init(E->err_state);
	E->replay = replay;
}

/*
 * Run block b of context ci from the packed state `in`: `out` receives
 * the live successors and their states (scratch states of the level, valid
 * until the next run at that level). With stop_pc, stop before that
 * instruction (the level's st then holds the state there).
 */
int eng_run_block(struct eng *E, uint32_t ci, uint32_t b, const void *in, struct eng_out *out, eng_hook hook,
		  void *user, uint32_t stop_pc)
{
	const struct eng_block *blk = &E->cfg.blocks[b];
	uint32_t level = CTX(ci)->nframes - 1;
	struct eng_ws *w = ws_get(E, level);
	struct vfy_state *st;
	uint32_t pc;
	int rc = 0;

	out->n = 0;
	if (!w)
		return -ENOMEM;
	st = w->st;
	eng_load(E, in, st, false);
	for (pc = blk->start; pc < blk->end; pc += nyk_insn_slots(&E->env.insns[pc])) {
		const struct nyk_insn_desc *d = E->cfg.rows[pc];
		unsigned live = VFY_FALL;
		uint32_t depth;

		if (pc == stop_pc)
			return 0;
		if (hook)
			hook(E, ci, pc, st, user);
		if (!E->replay)
			E->env.res->insns_processed++;
		switch (d->form) {
		case NYK_FORM_EXIT:
			rc = do_exit(E, ci, pc, st);
			live = 0;
			break;
		case NYK_FORM_JA:
		case NYK_FORM_JA32:
			add_out(out, blk->succ[1], st);
			return 0;
		case NYK_FORM_CALL_LOCAL:
			rc = do_call(E, ci, pc, (uint32_t)isa_branch_target(d, &E->env.insns[pc], pc), st);
			live = rc == 1 ? VFY_FALL : 0;
			break;
		case NYK_FORM_CALLX:
			rc = do_callx(E, ci, pc, st);
			live = rc == 1 ? VFY_FALL : 0;
			break;
		default:
			rc = vfy_transfer(&E->env, pc, st, w->taken, &live);
			if (rc == VFY_CALLBACK)
				rc = do_callback(E, ci, pc, st);
			break;
		}
		if (rc == -EACCES && E->provisional && !E->hard) {
			/* the state may still be widened beyond its final invariant: no successor for now */
			forget_rejection(E);
			if (E->lenient && d->form != NYK_FORM_JMP_K && d->form != NYK_FORM_JMP_X && d->form != NYK_FORM_EXIT) {
				/* estimating the refinement: go on as if it passed (the result is checked later) */
				rc = 0;
				live = VFY_FALL;
			} else {
				out->n = 0;
				return 0;
			}
		}
		if (rc < 0) {
			capture(E, ci, b, in, pc);
			return rc;
		}
		depth = st->frames[st->nframes - 1].depth;
		if (st->nframes == CTX(ci)->nframes && depth > CTX(ci)->max_depth) {
			CTX(ci)->max_depth = depth;
			CTX(ci)->depth_pc = pc;
		}
		if (d->form == NYK_FORM_JMP_K || d->form == NYK_FORM_JMP_X) {
			if (live & VFY_FALL)
				add_out(out, blk->succ[0], st);
			if (live & VFY_TAKEN)
				add_out(out, blk->succ[1], w->taken);
			return 0;
		}
		if (!(live & VFY_FALL))
			return 0;
	}
	if (pc == stop_pc)
		return 0;
	add_out(out, blk->succ[0], st);
	return 0;
}

/* ---- the fixpoint of one context ------------------------------------------------ */

static int converge_limit(struct eng *E, uint32_t pc)
{
	E->hard = true;
	return vfy_reject(&E->env, pc, "the analysis does not settle here after %zu block runs", E->runs);
}

/* Whether two packed states are the same bytes. */
static bool pack_same(const void *a, const void *b)
{
	size_t na, nb;

	memcpy(&na, (const uint8_t *)a - PK_HDR, sizeof(na));
	memcpy(&nb, (const uint8_t *)b - PK_HDR, sizeof(nb));
	return na == nb && memcmp(a, b, na) == 0;
}

/*
 * One decreasing pass: recompute every entry from its predecessors,
 * narrowing at loop heads. *heads_moved: some head's entry changed (else
 * another pass would only compute the same states again).
 */
static int narrow_pass(struct eng *E, uint32_t ci, bool *heads_moved)
{
	uint32_t fi = CTX(ci)->func, level = CTX(ci)->nframes - 1;
	const struct eng_func *f = &E->cfg.funcs[fi];
	struct eng_ws *w = &E->ws[level];
	void **fresh = eng_calloc(E, f->nblocks, sizeof(void *)), *old;
	int rc = 0;

	*heads_moved = false;
	if (!fresh)
		return -ENOMEM;
	if (CTX(ci)->in) {
		eng_load(E, CTX(ci)->in, w->tmp2, false);
		if (!store(E, &fresh[0], w->tmp2)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	eng_pack_free(E, CTX(ci)->out);
	CTX(ci)->out = NULL;
	for (uint32_t i = 0; i < f->nblocks && !rc; i++) {
		struct eng_ctx *c = CTX(ci);
		struct eng_out o;

		if (!f->is_head[i]) {
			/* all its predecessors ran: fresh[i] is complete */
			eng_pack_free(E, c->entry[i]);
			c->entry[i] = fresh[i];
			fresh[i] = NULL;
		}
		if (!c->entry[i])
			continue;
		E->runs++;
		if ((rc = eng_run_block(E, ci, f->order[i], c->entry[i], &o, NULL, NULL, ENG_NONE)))
			break;
		for (unsigned k = 0; k < o.n && !rc; k++) {
			uint32_t s = E->cfg.blocks[o.blk[k]].rpo;
			rc = accumulate(E, &fresh[s], o.st[k], w->tmp);
			rc = rc < 0 ? rc : 0;
		}
	}
	for (uint32_t i = 0; i < f->nblocks && !rc; i++) {
		struct eng_ctx *c = CTX(ci);

		if (!f->is_head[i] || !c->entry[i])
			continue;
		if (!fresh[i]) {
			eng_pack_free(E, c->entry[i]);
			c->entry[i] = NULL;
			continue;
		}
		eng_load(E, c->entry[i], w->tmp, false);
		eng_load(E, fresh[i], w->tmp2, false);
		vfy_state_narrow(w->tmp, w->tmp2);
		trip_meet(E, ci, i, w->tmp);
		old = c->entry[i];
		c->entry[i] = NULL;
		if (!store(E, &c->entry[i], w->tmp)) {
			c->entry[i] = old;
			rc = -ENOMEM;
		} else if (pack_same(old, c->entry[i])) {
			eng_pack_free(E, c->entry[i]);   /* keep the old one (and its place in the cache) */
			c->entry[i] = old;
		} else {
			eng_pack_free(E, old);
			*heads_moved = true;
		}
	}
out:
	for (uint32_t i = 0; i < f->nblocks; i++)
		eng_pack_free(E, fresh[i]);
	eng_free(E, fresh, f->nblocks * sizeof(void *));
	return rc;
}

/*
 * Up to ENG_NARROW_PASSES passes. A pass after one that left every head
 * as it was would compute the same entries again from the same ones (up
 * to the numbering of fresh ids), so it is skipped.
 */
static int narrow_passes(struct eng *E, uint32_t ci)
{
	bool moved = true;
	int rc = 0;

	for (int p = 0; p < ENG_NARROW_PASSES && !rc && moved; p++) {
		size_t grown = E->grown;

		rc = narrow_pass(E, ci, &moved);
		/* a callee whose entry grew on the way has a new result: the next pass would see it */
		moved |= E->grown != grown;
	}
	return rc;
}

static int analyse(struct eng *E, uint32_t ci)
{
	uint32_t fi = CTX(ci)->func;
	const struct eng_func *f = &E->cfg.funcs[fi];
	uint32_t lb;
	int rc = 0;

	while ((lb = take_dirty(CTX(ci), f->nblocks)) != ENG_NONE) {
		struct eng_out o;

		/*
		 * No entry: no path reaches the block (narrowing can drop an
		 * entry that an earlier checking pass had marked dirty).
		 */
		if (!CTX(ci)->entry[lb])
			continue;
		if (++E->runs > 4096 + 256 * E->ctx_blocks)
			return converge_limit(E, E->cfg.blocks[f->order[lb]].start);
		if ((rc = eng_run_block(E, ci, f->order[lb], CTX(ci)->entry[lb], &o, NULL, NULL, ENG_NONE)))
			return rc;
		for (unsigned k = 0; k < o.n; k++)
			if ((rc = propagate(E, ci, E->cfg.blocks[o.blk[k]].rpo, o.st[k])) < 0)
				return rc;
	}
	if (f->nheads)
		rc = narrow_passes(E, ci);
	return rc;
}

/* ---- stack over call chains ------------------------------------------------------ */

static uint32_t round32(uint32_t d)
{
	return ((d ? d : 1) + 31) / 32 * 32;
}

/*
 * Every call chain's frames together must fit the stack; like the kernel,
 * each frame counts rounded up to 32 bytes when there is more than one.
 */
static int check_stack(struct eng *E)
{
	uint32_t limit = E->env.opts->stack_size ? E->env.opts->stack_size : VFY_STACK_BYTES;

	for (uint32_t ci = 0; ci < E->nctx; ci++) {
		uint32_t total = 0, n = 0;

		for (uint32_t a = ci; a != ENG_NONE; a = CTX(a)->parent, n++)
			total += CTX(ci)->nframes > 1 ? round32(CTX(a)->max_depth) : CTX(a)->max_depth;
		if (total > E->max_stack)
			E->max_stack = total;
		if (total > limit)
			return vfy_reject(&E->env, CTX(ci)->depth_pc, "stack of %u bytes over %u nested calls exceeds %u bytes",
					  total, n, limit);
	}
	return 0;
}

/* ---- thresholds -------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static size_t unique_s64(int64_t *a, size_t n)
{
	size_t m = 0;

	qsort(a, n, sizeof(*a), cmp_s64);
	for (size_t i = 0; i < n; i++)
		if (!m || a[m - 1] != a[i])
			a[m++] = a[i];
	return m;
}

/*
 * The program's constants, each with its neighbours: where loop bounds
 * usually are. Distinct constants are few, so they are sorted once and
 * then expanded.
 */
static int build_thresholds(struct eng *E)
{
	size_t n = E->env.count, m = 0, k = 0, nu = 0;
	int64_t *all = eng_alloc(E, (n + 1) * sizeof(int64_t));

	if (!all)
		return -ENOMEM;
	E->thr_s = all;
	E->thr_s[m++] = 0;
	for (size_t pc = 0; pc < n; pc++) {
		const struct nyk_insn *i = &E->env.insns[pc];

		if (!E->cfg.rows[pc])
			continue;
		if (nyk_insn_slots(i) == 2 && pc + 1 < n)
			E->thr_s[m++] = (int64_t)(((uint64_t)(uint32_t)E->env.insns[pc + 1].imm << 32) | (uint32_t)i->imm);
		else if (i->imm)
			E->thr_s[m++] = i->imm;
	}
	m = unique_s64(E->thr_s, m);
	/* room for each distinct constant and its neighbours only (a program's constants repeat a lot) */
	E->thr_cap = 3 * m + 3;
	E->thr_u = eng_calloc(E, E->thr_cap, sizeof(uint64_t));
	E->thr_s = eng_calloc(E, E->thr_cap, sizeof(int64_t));
	if (E->thr_s)
		memcpy(E->thr_s, all, m * sizeof(int64_t));
	eng_free(E, all, (n + 1) * sizeof(int64_t));
	if (!E->thr_u || !E->thr_s)
		return -ENOMEM;
	/* expand from the back: c-1, c, c+1 */
	for (size_t i = m; i-- > 0;) {
		int64_t c = E->thr_s[i];
		E->thr_u[k++] = (uint64_t)c;
		if (c != INT64_MIN)
			E->thr_u[k++] = (uint64_t)(c - 1);
		if (c != INT64_MAX)
			E->thr_u[k++] = (uint64_t)(c + 1);
	}
	for (size_t i = 0; i < k; i++)
		E->thr_s[i] = (int64_t)E->thr_u[i];
	k = unique_s64(E->thr_s, k);
	for (size_t i = 0; i < k; i++)
		E->thr_u[i] = (uint64_t)E->thr_s[i];
	qsort(E->thr_u, k, sizeof(uint64_t), cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (!nu || E->thr_u[nu - 1] != E->thr_u[i])
			E->thr_u[nu++] = E->thr_u[i];
	E->env.thresholds.u = E->thr_u;
	E->env.thresholds.nu = nu;
	E->env.thresholds.s = E->thr_s;
	E->env.thresholds.ns = k;
	return 0;
}

/* ---- nyk_verify ------------------------------------------------------------------------ */

/*
 * User-space types whose context is plain bytes (the "memory" type) run
 * with r2 = the length of those bytes: the caller's ctx_size when it
 * knows it, else any number. Kernel types leave r2 uninitialised.
 */
static void entry_length(struct eng *E, struct vfy_state *st)
{
	const struct nyk_progtype_desc *d = E->env.desc;

	if (d->kernel_type != 0 || d->run_model != NYK_MODEL_BYTES)
		return;
	if (!E->env.opts->ctx_size || E->env.opts->ctx_size > UINT32_MAX) {
		vfy_reg_scalar(&st->regs[2], VFY_NO_PC);
		return;
	}
	vfy_reg_const(&st->regs[2], E->env.opts->ctx_size, VFY_NO_PC);
	/*
	 * With its length known, r1 is plain memory of that many bytes, as
	 * a helper's buffer: walking it with a variable offset (a checksum
	 * over r2 bytes) is then checked against the length.
	 */
	st->regs[1].kind = VFY_MEM;
	st->regs[1].size = (uint32_t)E->env.opts->ctx_size;
}

/*
 * The checking pass: every stored block entry of every context runs once
 * more and each result must be covered by what is stored (successor
 * entries, callee entries, callees' results). A refused instruction ends
 * its block (unless `last`: then it is final at once) and the pass goes
 * on, so that a rejection is only believed of states that turn out to be
 * the fixpoint. 0: the stored states are a fixpoint and every instruction
 * passed under them; 1: something was not covered (joined in, marked for
 * the next round); <0: a rejection or an error.
 */
static int check_once(struct eng *E, bool last)
{
	int rc = 0;

	E->checking = true;
	E->provisional = !last;
	E->grew = false;
	E->soft_count = 0;
	for (uint32_t ci = 0; ci < E->nctx && !rc; ci++) {   /* contexts made on the way are checked too */
		const struct eng_func *f = &E->cfg.funcs[CTX(ci)->func];

		for (uint32_t i = 0; i < f->nblocks && !rc; i++) {
			struct eng_out o;

			if (!CTX(ci)->entry[i])
				continue;
			E->runs++;
			rc = eng_run_block(E, ci, f->order[i], CTX(ci)->entry[i], &o, NULL, NULL, ENG_NONE);
			for (unsigned k = 0; k < o.n && !rc; k++) {
				rc = propagate(E, ci, E->cfg.blocks[o.blk[k]].rpo, o.st[k]);
				if (rc > 0)
					note_growth(E, ci);
				rc = rc < 0 ? rc : 0;
			}
		}
	}
	E->checking = false;
	E->provisional = false;
	return rc ? rc : E->grew;
}

static int check_pass(struct eng *E, bool last)
{
	int rc = check_once(E, last);

	if (rc == 0 && E->soft_count) {
		/* a fixpoint, and something in it is refused: again with final rejections, to report it */
		rc = check_once(E, true);
	}
	return rc;
}

/* ---- the trip-count refinement ------------------------------------------------------ */

/* Keep the rejection the analysis ended with (reported if the refinement does not remove it). */
static int trip_save(struct eng *E, bool soft)
{
	if (soft) {
		/* the round's provisional rejection is what the last round would report */
		E->env.reject_pc = E->soft_pc;
		memcpy(E->env.blame, E->soft_blame, sizeof(E->env.blame));
		memcpy(E->env.reason, E->soft_reason, sizeof(E->env.reason));
	}
	E->trip_pc = E->env.reject_pc;
	memcpy(E->trip_blame, E->env.blame, sizeof(E->trip_blame));
	memcpy(E->trip_reason, E->env.reason, sizeof(E->trip_reason));
	E->trip_err_captured = E->err_captured;
	E->trip_err_ctx = E->err_ctx;
	if (E->err_captured && E->err_state) {
		if (!(E->trip_err = eng_calloc(E, 1, sizeof(struct vfy_state))))
			return -ENOMEM;
		vfy_state_copy(E->trip_err, E->err_state);
	}
	E->env.reason[0] = 0;
	E->env.reject_pc = -1;
	E->env.blame[0] = E->env.blame[1] = E->env.blame[2] = -1;
	E->err_captured = false;
	return 0;
}

static int trip_restore(struct eng *E)
{
	E->env.reject_pc = E->trip_pc;
	memcpy(E->env.blame, E->trip_blame, sizeof(E->trip_blame));
	memcpy(E->env.reason, E->trip_reason, sizeof(E->env.reason));
	E->err_captured = E->trip_err_captured;
	E->err_ctx = E->trip_err_ctx;
	if (E->trip_err && E->err_state)
		vfy_state_copy(E->err_state, E->trip_err);
	E->hard = true;
	return -EACCES;
}

/* Meet every refined head with its ranges and recompute the states after them: 1 (or <0). */
static int trip_apply(struct eng *E, uint32_t m)
{
	const struct eng_func *f = &E->cfg.funcs[CTX(m)->func];
	struct eng_ws *w = &E->ws[0];
	int rc;

	for (uint32_t h = 0; h < f->nblocks; h++) {
		if (!E->trip[h].regs || !CTX(m)->entry[h])
			continue;
		eng_load(E, CTX(m)->entry[h], w->tmp, false);
		trip_meet(E, m, h, w->tmp);
		if (!store(E, &CTX(m)->entry[h], w->tmp))
			return -ENOMEM;
	}
	E->provisional = true;
	rc = narrow_passes(E, m);
	E->provisional = false;
	return rc < 0 ? rc : 1;
}

/*
 * Main's analysis ended refused: estimate every loop head's refinement
 * from the states (going on past refused instructions, as they may be
 * what the refinement removes), meet the heads with it and recompute the
 * states after them. 1: refined, the rounds go on; 0: nothing to refine
 * while still growing (`soft`: the rounds go on as before); <0: the
 * rejection stands (or an error).
 */
static int trip_start(struct eng *E, uint32_t m, bool soft)
{
	const struct eng_func *f = &E->cfg.funcs[CTX(m)->func];
	int rc;

	E->trip_tried = true;
	if ((rc = trip_save(E, soft)))
		return rc;
	if (!(E->trip = eng_calloc(E, f->nblocks, sizeof(struct eng_trip))))
		return -ENOMEM;
	E->trip_ctx = m;
	E->provisional = E->lenient = true;
	rc = eng_trip_bounds(E, m, E->trip);
	E->provisional = E->lenient = false;
	if (rc <= 0) {
		eng_free(E, E->trip, f->nblocks * sizeof(struct eng_trip));
		E->trip = NULL;
		if (rc < 0)
			return rc;
		if (!soft)
			return trip_restore(E);
		/* nothing to refine: the rounds go on as they would have */
		E->env.reason[0] = 0;
		E->env.reject_pc = -1;
		E->env.blame[0] = E->env.blame[1] = E->env.blame[2] = -1;
		return 0;
	}
	return trip_apply(E, m);
}

/*
 * The settled states passed the check with the refinement applied at the
 * heads. It is sound only if it follows from those very states: computed
 * again from them (trip bounds, steps, entry values), every range must
 * lie within the one applied. Then, by induction over a run, each visit
 * of a head is within the states and the recomputed range, so within
 * the applied meet. Else (the first estimate came from states cut short
 * by refusals, so it may be too tight) the recomputed ranges replace the
 * applied ones and the rounds go on (1), a few times; then the rejection
 * before the refinement stands.
 */
static int trip_validate(struct eng *E, uint32_t m)
{
	const struct eng_func *f = &E->cfg.funcs[CTX(m)->func];
	struct eng_trip *t = eng_calloc(E, f->nblocks, sizeof(struct eng_trip));
	bool ok = true;
	int rc;

	if (!t)
		return -ENOMEM;
	rc = eng_trip_bounds(E, m, t);
	if (rc < 0 && rc != -EACCES) {
		eng_free(E, t, f->nblocks * sizeof(struct eng_trip));
		return rc;
	}
	ok = rc >= 0;
	for (uint32_t h = 0; h < f->nblocks && ok; h++)
		for (unsigned r = 0; r < NYK_REG_COUNT && ok; r++) {
			const struct eng_trip *a = &E->trip[h], *b = &t[h];

			if (!(a->regs >> r & 1))
				continue;
			ok = (b->regs >> r & 1) && b->kind[r] == a->kind[r] && b->lo[r] >= a->lo[r] && b->hi[r] <= a->hi[r];
		}
	if (ok) {
		eng_free(E, t, f->nblocks * sizeof(struct eng_trip));
		return 0;
	}
	if (rc < 0 || ++E->trip_checks > ENG_TRIP_CHECKS) {
		eng_free(E, t, f->nblocks * sizeof(struct eng_trip));
		return trip_restore(E);
	}
	eng_free(E, E->trip, f->nblocks * sizeof(struct eng_trip));
	E->trip = t;
	return 1;
}

/*
 * Refused with the refinement applied: loops reached only now (after the
 * loop the first estimate freed: memxor's four loops) may have ranges of
 * their own. Estimate again from the states as they are, keep every
 * applied range and add the new ones (trip_validate checks them all),
 * and go on: 1. Nothing new, or too many tries: the first rejection
 * stands.
 */
static int trip_extend(struct eng *E, uint32_t m)
{
	const struct eng_func *f = &E->cfg.funcs[CTX(m)->func];
	struct eng_trip *t;
	bool any = false;
	int rc;

	if (++E->trip_checks > ENG_TRIP_CHECKS + f->nheads)
		return trip_restore(E);
	if (!(t = eng_calloc(E, f->nblocks, sizeof(struct eng_trip))))
		return -ENOMEM;
	E->env.reason[0] = 0;
	E->env.reject_pc = -1;
	E->env.blame[0] = E->env.blame[1] = E->env.blame[2] = -1;
	E->err_captured = false;
	E->provisional = E->lenient = true;
	rc = eng_trip_bounds(E, m, t);
	E->provisional = E->lenient = false;
	for (uint32_t h = 0; h < f->nblocks && rc > 0; h++)
		for (unsigned r = 0; r < NYK_REG_COUNT; r++) {
			if (!(t[h].regs >> r & 1) || (E->trip[h].regs >> r & 1))
				continue;
			E->trip[h].regs |= (uint16_t)(1u << r);
			E->trip[h].kind[r] = t[h].kind[r];
			E->trip[h].lo[r] = t[h].lo[r];
			E->trip[h].hi[r] = t[h].hi[r];
			any = true;
		}
	eng_free(E, t, f->nblocks * sizeof(struct eng_trip));
	if (rc < 0)
		return rc;
	return any ? trip_apply(E, m) : trip_restore(E);
}

/*
 * After a round with verdict rc: a refusal with the refinement applied
 * did not help, unless loops reached since have ranges of their own
 * (trip_extend: 1 go on, <0 the verdict). 0: nothing to retry.
 */
static int trip_retry(struct eng *E, uint32_t m, int rc)
{
	return rc == -EACCES && E->trip && !E->hard ? trip_extend(E, m) : 0;
}

/*
 * Main's fixpoint. Rounds: an analysis with provisional rejections
 * (ascending with widening, then narrowing), then a checking pass; when
 * the check finds a state the stored ones miss, the analysis resumes from
 * there (widening at heads, as states keep their update counts) and is
 * checked again. After ENG_MAX_ROUNDS the analysis runs with final
 * rejections, and a round that still grows reports the provisional
 * rejection it saw.
 */
static int analyse_main(struct eng *E)
{
	uint32_t m = ctx_get(E, ENG_NONE, ENG_NONE, 0);
	struct eng_ws *w = ws_get(E, 0);
	int rc, t;

	if (m == ENG_NONE || !w)
		return -ENOMEM;
	vfy_state_init(w->st);
	entry_length(E, w->st);
	if (!store(E, &CTX(m)->in, w->st))
		return -ENOMEM;
	if ((rc = propagate(E, m, 0, w->st)) < 0)
		return rc;
	for (unsigned round = 0;; round++) {
		bool last = round >= ENG_MAX_ROUNDS;

		if (!last)
			E->soft_pc = -1;   /* the last round reports the previous round's if it cannot settle */
		E->provisional = !last;
		rc = analyse(E, m);
		E->provisional = false;
		if ((t = trip_retry(E, m, rc)) != 0) {
			if (t < 0)
				return t;
			round = 0;
			continue;
		}
		if (rc)
			return rc;
		rc = check_pass(E, last);
		if (!E->trip_tried && E->cfg.funcs[CTX(m)->func].nheads && !E->hard &&
		    (rc == -EACCES || (rc > 0 && round + 1 == ENG_MAX_ROUNDS && E->soft_pc >= 0))) {
			/*
			 * Refused, or about to give up growing past a refused
			 * instruction: try the trip-count refinement once, with
			 * rounds of its own.
			 */
			t = trip_start(E, m, rc > 0);
			if (t < 0)
				return t;
			if (t > 0) {
				round = 0;
				continue;
			}
		}
		if ((t = trip_retry(E, m, rc)) != 0) {
			if (t < 0)
				return t;
			round = 0;
			continue;
		}
		if (rc == 0 && E->trip) {
			if ((rc = trip_validate(E, m)) <= 0)
				return rc;
			round = 0;
			continue;
		}
		if (rc <= 0)
			return rc;
		if (last) {
			if (E->trip)
				return trip_restore(E);
			if (E->soft_pc < 0)
				return converge_limit(E, E->cfg.funcs[0].start);
			E->hard = true;
			E->env.reject_pc = E->soft_pc;
			memcpy(E->env.blame, E->soft_blame, sizeof(E->soft_blame));
			memcpy(E->env.reason, E->soft_reason, sizeof(E->env.reason));
			return -EACCES;
		}
	}
}

static void release(struct eng *E)
{
	size_t n = E->env.count;

	for (uint32_t i = 0; i < E->nctx; i++)
		ctx_release(E, CTX(i));
	eng_free(E, E->ctxs, E->ctx_cap * sizeof(struct eng_ctx));
	eng_free(E, E->htab, E->hcap * sizeof(uint32_t));
	for (unsigned l = 0; l <= VFY_MAX_FRAMES; l++) {
		eng_free(E, E->ws[l].st, sizeof(struct vfy_state));
		eng_free(E, E->ws[l].taken, sizeof(struct vfy_state));
		eng_free(E, E->ws[l].tmp, sizeof(struct vfy_state));
		eng_free(E, E->ws[l].tmp2, sizeof(struct vfy_state));
	}
	eng_free(E, E->pk_buf, E->pk_cap);
	for (unsigned i = 0; i < ENG_CACHE; i++)
		eng_free(E, E->cache_st[i], state_bytes(E->cache_frames[i]));
	eng_free(E, E->err_state, sizeof(struct vfy_state));
	eng_free(E, E->trip_err, sizeof(struct vfy_state));
	if (E->trip)
		eng_free(E, E->trip, E->cfg.funcs[0].nblocks * sizeof(struct eng_trip));   /* main's function */
	eng_free(E, E->thr_u, E->thr_cap * sizeof(uint64_t));
	eng_free(E, E->thr_s, E->thr_cap * sizeof(int64_t));
	eng_free(E, E->proven, n);
	eng_cfg_free(E);
	eng_free(E, (void *)E->cfg.rows, n * sizeof(*E->cfg.rows));
}

static void reset_result(struct nyk_verify_result *res, size_t count)
{
	size_t size = res->size;

	memset(res, 0, sizeof(*res));
	res->size = size;
	res->insns = count;
	res->insn = -1;
}

static int finish(struct eng *E, int rc, struct nyk_error *err)
{
	struct nyk_verify_result *res = E->env.res;

	if (rc == -EACCES && E->env.reason[0]) {
		res->insn = E->env.reject_pc;
		snprintf(res->reason, sizeof(res->reason), "%s", E->env.reason);
		eng_explain(E);
		if (err) {
			nyk_error_set(err, -EACCES, "%s", E->env.reason);
			err->insn = E->env.reject_pc;
		}
	} else if (rc == -ENOMEM) {
		snprintf(res->reason, sizeof(res->reason), "out of memory");
		nyk_error_set(err, -ENOMEM, "out of memory verifying %zu instructions", E->env.count);
	} else if (rc < 0 && err && !err->code) {
		snprintf(res->reason, sizeof(res->reason), "verification failed (error %d)", rc);
		nyk_error_set(err, rc, "%s", res->reason);
	}
	for (uint32_t ci = 0; ci < E->nctx; ci++)
		for (uint32_t i = 0; i < E->cfg.funcs[CTX(ci)->func].nblocks; i++)
			res->states += CTX(ci)->entry[i] != NULL;
	res->stack_depth = E->max_stack;
	if (E->env.opts->out && (E->env.opts->log_level > 0 || E->env.opts->dot) && E->cfg.blocks)
		eng_output(E);
	res->peak_bytes = E->peak + sizeof(*E);
	return rc;
}

int nyk_verify(const struct nyk_insn *insns, size_t count, const struct nyk_verify_opts *opts,
	       struct nyk_verify_result *res, struct nyk_error *err)
{
	struct nyk_verify_opts o;
	struct nyk_verify_result local = { .size = sizeof(local) };
	size_t max;
	struct eng *E;
	int rc;

	memset(&o, 0, sizeof(o));
	if (opts)
		memcpy(&o, opts, opts->size && opts->size < sizeof(o) ? opts->size : sizeof(o));
	o.size = sizeof(o);
	if (!res)
		res = &local;
	reset_result(res, count);
	nyk_error_clear(err);
	max = o.max_insns ? o.max_insns : 1000000;
	if (!insns && count)
		return nyk_error_set(err, -EINVAL, "no instructions");
	if (count > max) {
		snprintf(res->reason, sizeof(res->reason), "program of %zu instructions exceeds the limit of %zu", count,
			 max);
		return nyk_error_set(err, -E2BIG, "%s", res->reason);
	}
	E = calloc(1, sizeof(*E));
	if (!E)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	E->env.insns = insns;
	E->env.count = count;
	E->env.opts = &o;
	E->env.type = o.type ? o.type : nyk_progtype_by_name("raw");
	E->env.desc = E->env.type ? nyk_progtype_desc(E->env.type) : NULL;
	E->env.maps = o.maps;
	E->env.nmaps = o.nmaps;
	E->env.privileged = (o.flags & NYK_VERIFY_PRIVILEGED) != 0;
	E->env.reject_pc = -1;
	E->soft_pc = -1;
	E->env.blame[0] = E->env.blame[1] = E->env.blame[2] = -1;
	E->env.res = res;
	if (!E->env.type || !E->env.desc) {
		free(E);
		return nyk_error_set(err, -EINVAL, "no program type");
	}
	E->cfg.rows = eng_calloc(E, count, sizeof(*E->cfg.rows));
	E->proven = eng_calloc(E, count, 1);
	if (!E->cfg.rows || !E->proven) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	rc = isa_decode(insns, count, E->cfg.rows, err);
	if (rc) {
		res->insn = err ? err->insn : -1;
		snprintf(res->reason, sizeof(res->reason), "%s", err ? err->message : "malformed program");
		goto out;
	}
	if (!(rc = build_thresholds(E)) && !(rc = eng_cfg_build(E)) && !(rc = analyse_main(E)) &&
	    !(rc = check_stack(E)))
		rc = eng_prove_loops(E);
	rc = finish(E, rc, err);
out:
	release(E);
	free(E);
	return rc;
}
