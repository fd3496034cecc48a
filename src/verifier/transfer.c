/*
 * transfer.c - one instruction on an abstract state (vfy_transfer): the
 * dispatch, ALU on scalars and pointers, conditional jumps with their
 * null checks and packet ranges, lddw, and the checks at the program's
 * exit. Memory accesses are in transfer_mem.c, helper calls in
 * transfer_call.c.
 *
 * Packet pointers. A VFY_PKT register points to data + o for some o in
 * its value v. Its range R is relative to the register itself: on every
 * path, [data + o, data + o + R) is in the packet (R may be 0 or negative:
 * nothing known). Being a fact about one register, it survives any join
 * that keeps the smaller R, whatever the ids. An access at off of size
 * bytes is safe when v.smin + off >= 0 and off + size <= R. Adding x
 * (signed, in [a, b]) gives R - b; subtracting gives R + a, constant or
 * not (the kernel resets R to 0 for a variable). Registers
 * derived from one pointer by adding constants share its id (0 when
 * the offsets from data are constants; a fresh id when a non-constant is
 * added), so they differ by exactly the difference of their v.smin. A
 * comparison proving p <= data_end then gives each register r with p's
 * id R = max(R, p.v.smin - r.v.smin) for a nonzero id, and
 * R = max(R, p.v.smin - r.v.smax) for id 0 (offsets from data itself).
 * PKT_META works the same, relative to data_meta and proven against data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "verifier/transfer_internal.h"

/* ---- shared small things --------------------------------------------------------- */

unsigned vt_size_bytes(uint8_t opcode)
{
	switch (opcode & 0x18) {
	case NYK_SIZE_B:
		return 1;
	case NYK_SIZE_H:
		return 2;
	case NYK_SIZE_W:
		return 4;
	default:
		return 8;
	}
}

/*
 * Memory a helper released (unprivileged: the register became unreadable,
 * defined by the releasing call): that call's pc, else -1. Only a call
 * leaves an unreadable register with a definition (transfer_call.c).
 */
long vt_released_at(const struct vfy_env *env, const struct vfy_reg *r)
{
	const struct nyk_insn *in;

	if (r->kind != VFY_NOT_INIT || r->def_pc == VFY_NO_PC || r->def_pc >= env->count)
		return -1;
	in = &env->insns[r->def_pc];
	if (in->opcode != (NYK_CLASS_JMP | NYK_JMP_CALL) || nyk_insn_src(in) != 0)
		return -1;
	return (long)r->def_pc;
}

int vt_need_init(struct vfy_env *env, size_t pc, const struct vfy_state *st, unsigned regno)
{
	long rel;

	if (st->regs[regno].kind != VFY_NOT_INIT)
		return 0;
	vfy_blame(env, (int)regno);
	if ((rel = vt_released_at(env, &st->regs[regno])) >= 0)
		return vfy_reject(env, pc, "r%u points to memory released at insn %ld", regno, rel);
	return vfy_reject(env, pc, "r%u is not initialised", regno);
}

void vt_set_uninit(struct vfy_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = VFY_NOT_INIT;
	r->def_pc = VFY_NO_PC;
	vv_unknown(&r->v);
}

void vt_set_scalar(struct vfy_reg *r, uint32_t pc)
{
	memset(r, 0, sizeof(*r));
	r->kind = VFY_SCALAR;
	r->def_pc = pc;
	vv_unknown(&r->v);
}

void vt_set_scalar_size(struct vfy_reg *r, unsigned size, bool sign, uint32_t pc)
{
	vt_set_scalar(r, pc);
	if (size < 8)
		vv_unknown_size(&r->v, size, sign);
}

void vt_set_const(struct vfy_reg *r, uint64_t c, uint32_t pc)
{
	vt_set_scalar(r, pc);
	vv_const(&r->v, c);
}

bool vt_is_zero(const struct vfy_reg *r)
{
	return r->kind == VFY_SCALAR && vv_is_const(&r->v) && r->v.val == 0;
}

const struct nyk_map_def *vt_map(const struct vfy_env *env, uint32_t map)
{
	uint32_t i = map & ~VT_MAP_INNER;
	const struct nyk_map_def *def;

	if (!env->maps || i >= env->nmaps || !env->maps[i])
		return NULL;
	def = env->maps[i];
	return (map & VT_MAP_INNER) ? def->inner : def;
}

const char *vt_map_name(const struct vfy_env *env, uint32_t map, char *buf, size_t size)
{
	const struct nyk_map_def *def = vt_map(env, map);
	uint32_t i = map & ~VT_MAP_INNER;
	const struct nyk_map_def *outer = (env->maps && i < env->nmaps) ? env->maps[i] : NULL;
	const char *oname = outer && outer->name ? outer->name : NULL;

	if (map & VT_MAP_INNER) {
		if (oname)
			snprintf(buf, size, "inner map of %s", oname);
		else
			snprintf(buf, size, "inner map of map %u", i);
	} else if (def && def->name && def->name[0]) {
		snprintf(buf, size, "%s", def->name);
	} else {
		snprintf(buf, size, "map %u", i);
	}
	return buf;
}

const char *vt_kind(const struct vfy_reg *r)
{
	return vfy_kind_name(r->kind, r->flags);
}

void vt_for_each_reg(struct vfy_state *st, vt_reg_fn fn, void *arg)
{
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		fn(&st->regs[i], arg);
	for (uint32_t f = 0; f < st->nframes && f < VFY_MAX_FRAMES; f++) {
		struct vfy_frame *fr = &st->frames[f];

		if (f > 0)
			for (unsigned i = 0; i < 4; i++)
				fn(&fr->saved[i], arg);
		for (unsigned s = 0; s < VFY_SLOTS; s++)
			if (fr->spilled >> s & 1)
				fn(&fr->spill[s], arg);
	}
}

void vt_drop_dead_spills(struct vfy_state *st)
{
	for (uint32_t f = 0; f < st->nframes && f < VFY_MAX_FRAMES; f++) {
		struct vfy_frame *fr = &st->frames[f];

		for (unsigned s = 0; s < VFY_SLOTS; s++) {
			if (!(fr->spilled >> s & 1) || fr->spill[s].kind != VFY_NOT_INIT)
				continue;
			fr->spilled &= ~(1ull << s);
			/* Slot s is bytes 8s..8s+7 of the bitmap: one byte of one word. */
			fr->init[s / 8] &= ~(0xffull << (s % 8 * 8));
		}
	}
}

bool vt_ref_held(const struct vfy_state *st, uint32_t ref)
{
	for (uint32_t i = 0; i < st->nrefs && i < VFY_MAX_REFS; i++)
		if (st->refs[i] == ref)
			return true;
	return false;
}

void vt_ref_drop(struct vfy_state *st, uint32_t ref)
{
	for (uint32_t i = 0; i < st->nrefs && i < VFY_MAX_REFS; i++) {
		if (st->refs[i] != ref)
			continue;
		st->refs[i] = st->refs[st->nrefs - 1];
		st->refs[--st->nrefs] = 0;
		return;
	}
}

const struct nyk_helper_proto *vfy_helper_proto(const struct vfy_env *env, uint32_t id)
{
	const struct nyk_verify_opts *o = env->opts;

	if (o && o->helper_proto) {
		const struct nyk_helper_proto *p = o->helper_proto(o->user, id);
		if (p)
			return p;
	}
	return nyk_helper_proto(id);
}

/* Packet offsets below this cannot make an address wrap around. */
#define VT_NO_WRAP (1ll << 62)

/* Limits of a packet range: far below nothing is provable anyway, above MAX_PACKET_OFF nothing is real. */
static int32_t clamp_range(int64_t r)
{
	if (r < -(int64_t)VT_MAX_PACKET_OFF - 1)
		return -VT_MAX_PACKET_OFF - 1;
	if (r > 2 * (int64_t)VT_MAX_PACKET_OFF)
		return 2 * VT_MAX_PACKET_OFF;
	return (int32_t)r;
}

/* ---- packet links and scalar slack -------------------------------------------------- */

/*
 * A loop often checks `data + i + 1 <= data_end` through one pointer and
 * reads through another one computed afresh from data and i (switch_vm:
 * `r4 += 1; r5 += 2; if r5 > r2 ...; r5 = r1; r5 += r4; *(u8 *)(r5 + 0)`).
 * Two facts, each about one register, carry that:
 *
 * Slack. A scalar x may know S = `size` > 0: x + S <= len as integers
 * (x's signed value; len = data_end - data). p = data + c + x then has
 * the range S - c. The state's join keeps the smaller S and inclusion
 * asks for a larger one, as for `size` of any register. A constant gets
 * its slack from the packet pointers with constant offsets (`r4 = 0`
 * after data + 1 was checked: slack 1), x += k gives S - k when x + k
 * cannot overflow; anything else forgets it. Slack shrinks in loops (x +=
 * 1 each trip) one step a trip, so a slack that an addition decreases is
 * rounded down to a program constant, as widening does for bounds (a
 * loop then settles after as many rounds as there are constants below).
 *
 * Links. `ref` (unused by scalars and packet pointers otherwise) holds a
 * link: L (the instruction that made it, + 1) and an offset s. Every
 * scalar x and packet pointer p (VFY_PKT) of a state with link L satisfy
 * x - sx == p.o - sp (mod 2^64). `p = q + x` with q at a constant offset
 * c from data links p to x (sp = c + sx, a fresh L for an x without
 * one: the instruction first unlinks every register of an older L);
 * adding constants moves s; anything else forgets the link. The join
 * keeps a ref only where both sides have the same number, so the link
 * holds in every state it survives in. When a comparison proves p <=
 * data_end with p.o inside [0, MAX_PACKET_OFF] (integers, no wrap), each
 * linked x has x = p.o - sp + sx, so its slack is at least sp - sx + R
 * (p's range R).
 */
#define LINK_OFF_BITS 12
#define LINK_OFF_MAX ((1 << (LINK_OFF_BITS - 1)) - 1)
#define LINK_MAX ((1u << (32 - LINK_OFF_BITS)) - 1)

static uint32_t link_make(uint32_t l, int64_t off)
{
	if (!l || l > LINK_MAX || off < -LINK_OFF_MAX - 1 || off > LINK_OFF_MAX)
		return 0;
	return l << LINK_OFF_BITS | ((uint32_t)off & ((1u << LINK_OFF_BITS) - 1));
}

static uint32_t link_of(const struct vfy_reg *r)
{
	if ((r->kind != VFY_SCALAR && r->kind != VFY_PKT) || (r->flags & VFY_F_REF))
		return 0;
	return r->ref >> LINK_OFF_BITS;
}

static int64_t link_off(const struct vfy_reg *r)
{
	int64_t o = (int64_t)(r->ref & ((1u << LINK_OFF_BITS) - 1));

	return o > LINK_OFF_MAX ? o - (1 << LINK_OFF_BITS) : o;
}

void vt_forget_slack(struct vfy_reg *r)
{
	if (r->kind == VFY_SCALAR) {
		r->ref = 0;
		r->size = 0;
	}
}

/* A slack that went down: the largest program constant not above it (0: none). */
static uint32_t slack_round(const struct vfy_env *env, int64_t sl)
{
	const struct vfy_thresholds *t = &env->thresholds;
	size_t lo = 0, hi = t->ns;

	if (sl <= 0)
		return 0;
	if (sl > 2 * (int64_t)VT_MAX_PACKET_OFF)
		sl = 2 * (int64_t)VT_MAX_PACKET_OFF;
	if (!t->s || !t->ns)
		return (uint32_t)sl;
	/* the first threshold above sl */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->s[mid] <= sl)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && t->s[lo - 1] >= 1 ? (uint32_t)t->s[lo - 1] : 0;
}

/* A slack that did not come from a decrease: kept exactly (0: none). */
static uint32_t slack_exact(int64_t sl)
{
	if (sl <= 0)
		return 0;
	return (uint32_t)(sl > 2 * (int64_t)VT_MAX_PACKET_OFF ? 2 * (int64_t)VT_MAX_PACKET_OFF : sl);
}

/* The packet bytes from data proven by pointers with constant offsets (a lower bound of len). */
static int64_t proven_len(const struct vfy_state *st)
{
	int64_t len = 0;

	for (unsigned i = 0; i < NYK_REG_COUNT; i++) {
		const struct vfy_reg *r = &st->regs[i];

		if (r->kind == VFY_PKT && vv_is_const(&r->v) && r->v.smin >= 0 &&
		    r->v.smin <= VT_MAX_PACKET_OFF && r->range > 0 && r->v.smin + r->range > len)
			len = r->v.smin + r->range;
	}
	return len > VT_MAX_PACKET_OFF ? VT_MAX_PACKET_OFF : len;
}

/* Constant k in x: its slack from what is proven. */
static void slack_of_const(const struct vfy_state *st, struct vfy_reg *x)
{
	int64_t k = (int64_t)x->v.val;

	if (x->kind != VFY_SCALAR || !vv_is_const(&x->v) || k < -VT_MAX_VAR || k > VT_MAX_VAR)
		return;
	x->size = slack_exact(proven_len(st) - k);
}

/* x += k (k already negated for a subtraction): slack and link move with it. */
static void slack_add(const struct vfy_env *env, struct vfy_reg *x, const struct vfy_value *old, int64_t k)
{
	int64_t lo, hi;
	uint32_t l = link_of(x);

	if (k < -VT_MAX_VAR || k > VT_MAX_VAR || __builtin_add_overflow(old->smin, k, &lo) ||
	    __builtin_add_overflow(old->smax, k, &hi)) {
		vt_forget_slack(x);
		return;
	}
	x->ref = l ? link_make(l, link_off(x) + k) : 0;
	if (!x->size)
		return;
	if (k > 0)
		x->size = slack_round(env, (int64_t)x->size - k);
	else if ((int64_t)x->size - k <= 2 * (int64_t)VT_MAX_PACKET_OFF)
		x->size = (uint32_t)((int64_t)x->size - k);
}

/*
 * Whether x +- k (k constant) is x + k (or x - k) as 64-bit integers: any
 * 64-bit addition (slack_add checks overflow), or a 32-bit one on a value
 * below 2^32 whose low word does not wrap (clang's `w3 += 3` on an index).
 */
static bool exact_add(const struct nyk_insn *in, const struct vfy_value *x, const struct vfy_value *k)
{
	int64_t kk = (int64_t)k->val;

	if ((in->opcode & 7) == NYK_CLASS_ALU64)
		return true;
	if ((in->opcode & 0xf0) == NYK_ALU_SUB)
		kk = -kk;
	/* slack_add adds k as a 64-bit number: the same only for a sign-extended 32-bit k */
	if ((uint64_t)(int64_t)(int32_t)k->val != k->val)
		return false;
	return x->umax <= UINT32_MAX && (int64_t)x->umin + kk >= 0 && (int64_t)x->umax + kk <= (int64_t)UINT32_MAX;
}

struct unlink {
	uint32_t l;
};

static void unlink_reg(struct vfy_reg *r, void *arg)
{
	const struct unlink *u = arg;

	if (link_of(r) == u->l)
		r->ref = 0;
}

/*
 * The link of p = q + x (or q +- k): q a packet pointer, x the scalar
 * (register xno, -1: an immediate) or the constant k.
 */
static uint32_t pkt_link(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *q, int xno,
			 unsigned dst, const struct vfy_value *x, bool add)
{
	struct vfy_reg *xr;
	struct unlink u;

	if (q->kind != VFY_PKT)
		return 0;
	xr = xno >= 0 && (unsigned)xno != dst ? &st->regs[xno] : NULL;
	if (!add || !xr || xr->kind != VFY_SCALAR || !vv_is_const(&q->v) || q->v.smin < -LINK_OFF_MAX ||
	    q->v.smin > LINK_OFF_MAX) {
		/* no register to link to: q's link moves by a constant */
		int64_t k = (int64_t)x->val;

		if (!vv_is_const(x) || !link_of(q) || k < -VT_MAX_VAR || k > VT_MAX_VAR)
			return 0;
		return link_make(link_of(q), link_off(q) + (add ? k : -k));
	}
	/* data + c + x (x a constant too: the first trip of a loop): linked to x */
	if (!link_of(xr)) {
		u.l = (uint32_t)pc + 1;
		if (u.l > LINK_MAX)
			return 0;
		vt_for_each_reg(st, unlink_reg, &u);
		xr->ref = link_make(u.l, 0);
	}
	return link_make(link_of(xr), q->v.smin + link_off(xr));
}

struct link_proof {
	unsigned n;
	uint32_t l[8];
	int64_t top[8];   /* for link l[i]: sp + R, the most of (x - sx) + slack */
};

static void collect_proof(struct vfy_reg *r, void *arg)
{
	struct link_proof *lp = arg;
	uint32_t l = link_of(r);
	int64_t top;
	unsigned i;

	if (!l || r->kind != VFY_PKT || r->v.smin < 0 || r->v.umax > VT_MAX_PACKET_OFF || r->range < 0)
		return;
	top = link_off(r) + r->range;
	for (i = 0; i < lp->n && lp->l[i] != l; i++)
		;
	if (i == lp->n) {
		if (lp->n == 8)
			return;
		lp->l[lp->n++] = l;
		lp->top[i] = top;
	} else if (top > lp->top[i]) {
		lp->top[i] = top;
	}
}

struct link_slack {
	const struct link_proof *lp;
};

static void give_slack(struct vfy_reg *r, void *arg)
{
	const struct link_slack *ls = arg;
	uint32_t l = link_of(r), s;

	if (!l || r->kind != VFY_SCALAR)
		return;
	for (unsigned i = 0; i < ls->lp->n; i++) {
		if (ls->lp->l[i] != l)
			continue;
		s = slack_exact(ls->lp->top[i] - link_off(r));
		if (s > r->size)
			r->size = s;
	}
}

/* Packet pointers gained range: scalars linked to them gain slack. */
static void slack_from_links(struct vfy_state *st)
{
	struct link_proof lp = { 0, { 0 }, { 0 } };
	struct link_slack ls = { &lp };

	vt_for_each_reg(st, collect_proof, &lp);
	if (lp.n)
		vt_for_each_reg(st, give_slack, &ls);
}

/* ---- ALU ------------------------------------------------------------------------- */

static const char *alu_op_name(const struct nyk_insn *in, char *buf, size_t size)
{
	const char *name;
	bool sgn = in->off == 1;

	switch (in->opcode & 0xf0) {
	case NYK_ALU_ADD: name = "addition"; break;
	case NYK_ALU_SUB: name = "subtraction"; break;
	case NYK_ALU_MUL: name = "multiplication"; break;
	case NYK_ALU_DIV: name = sgn ? "signed division" : "division"; break;
	case NYK_ALU_OR: name = "bitwise or"; break;
	case NYK_ALU_AND: name = "bitwise and"; break;
	case NYK_ALU_LSH: name = "left shift"; break;
	case NYK_ALU_RSH: name = "right shift"; break;
	case NYK_ALU_NEG: name = "negation"; break;
	case NYK_ALU_MOD: name = sgn ? "signed modulo" : "modulo"; break;
	case NYK_ALU_XOR: name = "bitwise xor"; break;
	case NYK_ALU_MOV: name = in->off ? "sign-extending move" : "move"; break;
	case NYK_ALU_ARSH: name = "arithmetic right shift"; break;
	default: name = "byte swap"; break;
	}
	snprintf(buf, size, "%s%s", (in->opcode & 7) == NYK_CLASS_ALU ? "32-bit " : "", name);
	return buf;
}

/*
 * An operation that makes no pointer out of a pointer. Moves of part of
 * it, negation, byte swaps and pointer - pointer: refused in unprivileged
 * mode (they expose the address), an unknown scalar in privileged mode.
 * Other arithmetic (multiplication, shifts, 32-bit operations, ...):
 * refused in both modes, as the kernel does (`always`).
 */
static int ptr_op_refused(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned dst,
			  const struct vfy_reg *ptr, int ptrno, bool always)
{
	const struct nyk_insn *in = &env->insns[pc];
	char op[48];

	if (!env->privileged || always) {
		if (ptrno >= 0)
			vfy_blame(env, ptrno);
		return vfy_reject(env, pc, "%s of a %s pointer is not allowed", alu_op_name(in, op, sizeof(op)),
				  vt_kind(ptr));
	}
	if ((in->opcode & 7) == NYK_CLASS_ALU)
		vt_set_scalar_size(&st->regs[dst], 4, false, (uint32_t)pc);
	else
		vt_set_scalar(&st->regs[dst], (uint32_t)pc);
	return 0;
}

/* Kinds no arithmetic may touch, whatever the mode. */
static bool no_arith(const struct vfy_reg *r)
{
	return (r->flags & VFY_F_NULLABLE) || r->kind == VFY_PKT_END || r->kind == VFY_MAP_PTR ||
	       r->kind == VFY_FUNC;
}

static bool pkt_family(unsigned kind)
{
	return kind == VFY_PKT || kind == VFY_PKT_END || kind == VFY_PKT_META;
}

/* pointer - pointer: a scalar when both point into the same object, else refused (or unknown). */
static int ptr_sub_ptr(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned dst, unsigned src)
{
	const struct vfy_reg *a = &st->regs[dst], *b = &st->regs[src];
	struct vfy_reg res;
	bool same = false, exact = false;
	const struct nyk_insn *in = &env->insns[pc];
	bool is64 = (in->opcode & 7) == NYK_CLASS_ALU64;

	if ((in->opcode & 0xf0) == NYK_ALU_SUB && !(a->flags & VFY_F_NULLABLE) && !(b->flags & VFY_F_NULLABLE)) {
		/* Packet lengths are computed in 32 bits too (gcc: w0 = data_end; w0 -= data). */
		if (pkt_family(a->kind) && pkt_family(b->kind)) {
			same = is64 || env->privileged;
			exact = is64 && a->kind == b->kind && a->kind != VFY_PKT_END && a->id == b->id;
		} else if (!is64) {
			same = false;
		} else if (a->kind == VFY_STACK && b->kind == VFY_STACK) {
			same = exact = a->frame == b->frame;
		} else if (a->kind == VFY_CTX && b->kind == VFY_CTX) {
			same = exact = true;
		} else if (a->kind == VFY_MAP_VALUE && b->kind == VFY_MAP_VALUE && a->map == b->map) {
			same = true;
			exact = a->id && a->id == b->id;
		} else if (a->kind == VFY_MEM && b->kind == VFY_MEM) {
			same = a->id && a->id == b->id;
			exact = same;
		}
	}
	if (!same) {
		bool sub = (in->opcode & 0xf0) == NYK_ALU_SUB;

		if (!env->privileged || !sub)
			vfy_blame(env, (int)src);
		return ptr_op_refused(env, pc, st, dst, a, (int)dst, !sub);
	}
	vt_set_scalar_size(&res, is64 ? 8 : 4, false, (uint32_t)pc);
	if (exact) {
		/* Offsets of one base: their difference, as intervals (sound whatever the ids say). */
		res.v = a->v;
		vv_alu(&res.v, in, &b->v);
	}
	st->regs[dst] = res;
	return 0;
}

/* pointer +- scalar, or scalar + pointer. */
static int ptr_arith(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned dst, const struct vfy_reg *ptr,
		     int ptrno, const struct vfy_value *scal, int scalno)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned op = in->opcode & 0xf0;
	bool is64 = (in->opcode & 7) == NYK_CLASS_ALU64;
	bool ptr_is_dst = ptrno == (int)dst;
	struct vfy_reg res;

	if (!is64 && op == NYK_ALU_SUB && env->privileged) {
		/* The kernel lets a privileged loader subtract in 32 bits: a number (data_end - data by clang). */
		vt_set_scalar_size(&st->regs[dst], 4, false, (uint32_t)pc);
		return 0;
	}
	if (!is64 || !(op == NYK_ALU_ADD || (op == NYK_ALU_SUB && ptr_is_dst)))
		return ptr_op_refused(env, pc, st, dst, ptr, ptrno, true);
	if (no_arith(ptr)) {
		vfy_blame(env, ptrno);
		return vfy_reject(env, pc, "pointer arithmetic on %s is not allowed", vt_kind(ptr));
	}
	if (ptr->kind == VFY_CTX && !vv_is_const(scal)) {
		vfy_blame(env, ptrno);
		return vfy_reject(env, pc, "pointer arithmetic on ctx with a variable offset is not allowed");
	}
	if (ptr->kind == VFY_STACK && !vv_is_const(scal) && !env->privileged) {
		/* The kernel's Spectre v1 rule: only CAP_PERFMON may index the stack. */
		vfy_blame(env, ptrno);
		return vfy_reject(env, pc,
				  "pointer arithmetic on fp with a variable offset is not allowed unprivileged "
				  "(Spectre v1 mitigation)");
	}
	res = *ptr;
	if (ptr_is_dst) {
		vv_alu(&res.v, in, scal);
	} else {
		/* scalar + pointer: the same sum, computed as pointer + scalar. */
		struct nyk_insn add = *in;
		add.opcode = NYK_CLASS_ALU64 | NYK_ALU_ADD | NYK_SRC_X;
		vv_alu(&res.v, &add, scal);
	}
	if (res.kind == VFY_PKT || res.kind == VFY_PKT_META) {
		/* The range is counted from the pointer: it shrinks by the most the pointer may move up. */
		if (op == NYK_ALU_ADD)
			res.range = clamp_range(scal->smax > VT_MAX_VAR ? INT64_MIN : (int64_t)res.range - scal->smax);
		else
			res.range = clamp_range(scal->smin < -VT_MAX_VAR ? INT64_MIN : (int64_t)res.range + scal->smin);
		/*
		 * A new variable part: a new base, related to no other register.
		 * What was proven still holds for it, shrunk as above: the new
		 * pointer stays at or below the old one plus smax (minus smin), so
		 * its bytes up to the old proven end are in the packet, and the
		 * access check asks for a non-negative offset from data (the
		 * packet is contiguous from there). The kernel resets the range
		 * here; it accepts such programs only by walking constants.
		 */
		if (!vv_is_const(scal))
			res.id = vfy_new_id(env);
		if (res.kind == VFY_PKT && op == NYK_ALU_ADD && scalno >= 0 && vv_is_const(&ptr->v) &&
		    ptr->v.smin >= -VT_MAX_VAR && ptr->v.smin <= VT_MAX_VAR &&
		    st->regs[scalno].kind == VFY_SCALAR && st->regs[scalno].size &&
		    scal->smin >= -VT_MAX_VAR && scal->smax <= VT_MAX_VAR) {
			/* data + c + x with x + S <= len: S - c bytes from the new pointer (see Slack) */
			int64_t r = (int64_t)st->regs[scalno].size - ptr->v.smin;

			if (r > res.range)
				res.range = clamp_range(r);
		}
		res.ref = res.kind == VFY_PKT ? pkt_link(env, pc, st, ptr, scalno, dst, scal, op == NYK_ALU_ADD) : 0;
	}
	res.def_pc = (uint32_t)pc;
	st->regs[dst] = res;
	return 0;
}

static int do_mov(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned dst, unsigned src,
		  const struct vfy_value *srcv)
{
	const struct nyk_insn *in = &env->insns[pc];
	bool is64 = (in->opcode & 7) == NYK_CLASS_ALU64;
	struct vfy_reg res;

	if ((in->opcode & NYK_SRC_X) && vfy_is_ptr(&st->regs[src])) {
		if (is64 && in->off == 0) {
			struct vfy_reg *from = &st->regs[src];

			/*
			 * Copies share a base: comparing one proves the other. Constant
			 * offsets too, so that the first pass of a loop (constants) and
			 * later ones (intervals) have ids the join can pair.
			 */
			if (VT_LINK_COPIES && (from->kind == VFY_PKT || from->kind == VFY_PKT_META) && !from->id)
				from->id = vfy_new_id(env);
			res = *from;
			res.def_pc = (uint32_t)pc;
			st->regs[dst] = res;
			return 0;
		}
		res = st->regs[src];
		return ptr_op_refused(env, pc, st, dst, &res, (int)src, false);
	}
	vt_set_scalar(&res, (uint32_t)pc);
	res.v = *srcv;
	vv_alu(&res.v, in, srcv);
	if (VT_LINK_COPIES && (in->opcode & NYK_SRC_X) && in->off == 0 && (is64 || srcv->umax <= UINT32_MAX)) {
		/*
		 * An exact copy: both share an id, so what a branch learns of one
		 * holds for the other (constants too: see the pointer case).
		 */
		if (!st->regs[src].id)
			st->regs[src].id = vfy_new_id(env);
		res.id = st->regs[src].id;
	}
	if ((in->opcode & NYK_SRC_X) && in->off == 0 && (is64 || srcv->umax <= UINT32_MAX)) {
		/* the same value: the same slack and link */
		res.size = st->regs[src].size;
		res.ref = st->regs[src].ref;
	} else {
		slack_of_const(st, &res);
	}
	st->regs[dst] = res;
	return 0;
}

/*
 * The source operand of an ALU or jump instruction: the source register
 * (which must be initialised) or the immediate, sign-extended, in *imm.
 */
static int source_operand(struct vfy_env *env, size_t pc, struct vfy_state *st, struct vfy_reg *imm,
			  const struct vfy_reg **s)
{
	const struct nyk_insn *in = &env->insns[pc];
	int rc;

	if (in->opcode & NYK_SRC_X) {
		if ((rc = vt_need_init(env, pc, st, nyk_insn_src(in))) < 0)
			return rc;
		*s = &st->regs[nyk_insn_src(in)];
	} else {
		vt_set_const(imm, (uint64_t)(int64_t)in->imm, (uint32_t)pc);
		*s = imm;
	}
	return 0;
}

static int do_alu(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned op = in->opcode & 0xf0;
	unsigned dst = nyk_insn_dst(in), src = nyk_insn_src(in);
	bool x = in->opcode & NYK_SRC_X;
	struct vfy_reg imm;
	const struct vfy_reg *s;
	struct vfy_reg *d = &st->regs[dst];
	int rc;

	if (x && op == NYK_ALU_MOV && (in->opcode & 7) == NYK_CLASS_ALU64 && in->off == 0 &&
	    vt_released_at(env, &st->regs[src]) >= 0) {
		/* A copy of released memory: as unreadable, and still saying why at its use. */
		st->regs[dst] = st->regs[src];
		return 0;
	}
	if ((rc = source_operand(env, pc, st, &imm, &s)) < 0)
		return rc;
	if (!x && (op == NYK_ALU_LSH || op == NYK_ALU_RSH || op == NYK_ALU_ARSH)) {
		unsigned bits = (in->opcode & 7) == NYK_CLASS_ALU64 ? 64 : 32;

		if (in->imm < 0 || in->imm >= (int32_t)bits)
			return vfy_reject(env, pc, "invalid immediate %d for a %u-bit shift (0..%u)", in->imm, bits,
					  bits - 1);
	}
	if (op == NYK_ALU_MOV)
		return do_mov(env, pc, st, dst, src, &s->v);
	if ((rc = vt_need_init(env, pc, st, dst)) < 0)
		return rc;
	if (op == NYK_ALU_NEG || op == NYK_ALU_END) {
		if (vfy_is_ptr(d)) {
			struct vfy_reg p = *d;
			return ptr_op_refused(env, pc, st, dst, &p, (int)dst, false);
		}
		vt_set_const(&imm, (uint64_t)(int64_t)in->imm, (uint32_t)pc);
		vv_alu(&d->v, in, &imm.v);
		d->id = 0;
		vt_forget_slack(d);
		d->def_pc = (uint32_t)pc;
		return 0;
	}
	if (!vfy_is_ptr(d) && !vfy_is_ptr(s)) {
		struct vfy_value old = d->v;

		vv_alu(&d->v, in, &s->v);
		d->id = 0;   /* no longer equal to the copies it had */
		if ((op == NYK_ALU_ADD || op == NYK_ALU_SUB) && vv_is_const(&s->v) && (d->size || d->ref) &&
		    exact_add(in, &old, &s->v))
			slack_add(env, d, &old, op == NYK_ALU_ADD ? (int64_t)s->v.val : -(int64_t)s->v.val);
		else
			vt_forget_slack(d);
		d->def_pc = (uint32_t)pc;
		return 0;
	}
	if (vfy_is_ptr(d) && vfy_is_ptr(s))
		return ptr_sub_ptr(env, pc, st, dst, src);
	if (vfy_is_ptr(d)) {
		struct vfy_reg p = *d;
		struct vfy_value sv = s->v;
		return ptr_arith(env, pc, st, dst, &p, (int)dst, &sv, x ? (int)src : -1);
	} else {
		struct vfy_reg p = *s;
		struct vfy_value sv = d->v;
		return ptr_arith(env, pc, st, dst, &p, (int)src, &sv, (int)dst);
	}
}

/* ---- conditional jumps ----------------------------------------------------------- */

struct id_mark {
	uint32_t id;
	bool null;             /* the pointers are NULL on this branch (else: not NULL) */
	struct vfy_state *st;
};

static void mark_id(struct vfy_reg *r, void *arg)
{
	struct id_mark *m = arg;

	if (!(r->flags & VFY_F_NULLABLE) || r->id != m->id)
		return;
	if (!m->null) {
		r->flags &= (uint8_t)~VFY_F_NULLABLE;
		return;
	}
	/* A NULL reservation holds nothing: its reference is gone with it. */
	if ((r->flags & VFY_F_REF) && r->ref)
		vt_ref_drop(m->st, r->ref);
	vt_set_const(r, 0, r->def_pc);
}

static void mark_nullness(struct vfy_state *st, struct vfy_reg *reg, bool null)
{
	struct id_mark m = { reg->id, null, st };

	if (reg->id) {
		vt_for_each_reg(st, mark_id, &m);
	} else {
		m.id = 0;
		mark_id(reg, &m);
	}
}

static void mark_range(struct vfy_reg *r, void *arg)
{
	const struct vfy_reg *p = arg;
	int64_t range;

	/*
	 * Registers of p's base, as the kernel relates them (others would be
	 * sound too): the same id, or constant offsets from data on both
	 * (copies of such pointers may carry an id of their own).
	 */
	if (r->kind != p->kind || (r->id != p->id && !(vv_is_const(&p->v) && vv_is_const(&r->v))))
		return;
	if (r->v.smin < -VT_NO_WRAP || r->v.smax > VT_NO_WRAP)
		return;
	/* id 0: offsets from data, p's at least p.v.smin; one base: exactly the difference. */
	range = p->v.smin - (p->id && r->id == p->id ? r->v.smin : r->v.smax);
	if (range > r->range)
		r->range = clamp_range(range);
}

/* `p` (pkt or pkt_meta) is proven <= its end on state `st`: every register of its base gains range. */
static void prove_range(struct vfy_state *st, const struct vfy_reg *p, unsigned pno)
{
	/*
	 * data + o <= data_end means o <= len only while the address cannot
	 * wrap; the kernel asks for o <= MAX_PACKET_OFF, and so do we (the
	 * corpus checks it: a larger offset proves nothing).
	 */
	if (p->v.smin < 0 || p->v.umax > VT_MAX_PACKET_OFF)
		return;
	vt_for_each_reg(st, mark_range, (void *)p);
	/*
	 * p itself is <= its end whatever its offset: range 0 (an id-0 pointer
	 * with an interval offset gets only p.v.smin - p.v.smax from the above).
	 */
	if (st->regs[pno].kind == p->kind && st->regs[pno].range < 0)
		st->regs[pno].range = 0;
	if (p->kind == VFY_PKT)
		slack_from_links(st);
}

/*
 * A packet pointer compared with its end (pkt or pkt_meta against
 * pkt_end; pkt_meta against data itself). Sets *which to the branch on
 * which "p <= end" holds (VFY_FALL / VFY_TAKEN), 0 if none.
 */
static bool pkt_end_compare(const struct vfy_reg *d, const struct vfy_reg *s, unsigned jop, bool *p_is_dst,
			    unsigned *which)
{
	bool d_ptr, s_end;
	bool end_first;

	d_ptr = (d->kind == VFY_PKT && s->kind == VFY_PKT_END) ||
		(d->kind == VFY_PKT_META && s->kind == VFY_PKT && s->id == 0 && vv_is_const(&s->v) && s->v.val == 0);
	s_end = (s->kind == VFY_PKT && d->kind == VFY_PKT_END) ||
		(s->kind == VFY_PKT_META && d->kind == VFY_PKT && d->id == 0 && vv_is_const(&d->v) && d->v.val == 0);
	if (!d_ptr && !s_end)
		return false;
	end_first = !d_ptr;
	*p_is_dst = d_ptr;
	switch (jop) {
	case NYK_JMP_JGT: /* p > end: fall p <= end;  end > p: taken p < end */
		*which = end_first ? VFY_TAKEN : VFY_FALL;
		return true;
	case NYK_JMP_JGE: /* p >= end: fall p < end;  end >= p: taken p <= end */
		*which = end_first ? VFY_TAKEN : VFY_FALL;
		return true;
	case NYK_JMP_JLT: /* p < end: taken;  end < p: fall p <= end */
		*which = end_first ? VFY_FALL : VFY_TAKEN;
		return true;
	case NYK_JMP_JLE: /* p <= end: taken;  end <= p: fall p < end */
		*which = end_first ? VFY_FALL : VFY_TAKEN;
		return true;
	default:
		*which = 0;
		return true;
	}
}

static int ptr_branch(struct vfy_env *env, size_t pc, struct vfy_state *st, struct vfy_state *taken,
		      unsigned *live, unsigned dst, int src, const struct vfy_reg *s)
{
	const struct nyk_insn *in = &env->insns[pc];
	bool is32 = (in->opcode & 7) == NYK_CLASS_JMP32;
	unsigned jop = in->opcode & 0xf0;
	struct vfy_reg d = st->regs[dst];
	bool p_is_dst;
	unsigned which;

	if (!is32 && (jop == NYK_JMP_JEQ || jop == NYK_JMP_JNE)) {
		const struct vfy_reg *p = NULL;
		unsigned pno = 0;

		if (vfy_is_ptr(&d) && vt_is_zero(s)) {
			p = &d;
			pno = dst;
		} else if (vfy_is_ptr(s) && vt_is_zero(&d) && src >= 0) {
			p = s;
			pno = (unsigned)src;
		}
		if (p && (p->flags & VFY_F_NULLABLE)) {
			/* JEQ: the jump is the NULL case; JNE: the fall-through is. */
			vfy_state_copy(taken, st);
			mark_nullness(taken, &taken->regs[pno], jop == NYK_JMP_JEQ);
			mark_nullness(st, &st->regs[pno], jop != NYK_JMP_JEQ);
			*live = VFY_FALL | VFY_TAKEN;
			return 0;
		}
		if (p && p->v.smin >= -VT_MAX_VAR && p->v.smax <= VT_MAX_VAR) {
			/* A pointer that cannot be NULL, moved by little, is never equal to 0. */
			vfy_state_copy(taken, st);
			*live = jop == NYK_JMP_JEQ ? VFY_FALL : VFY_TAKEN;
			return 0;
		}
	}
	if (jop == NYK_JMP_JSET) {
		/* Testing bits of an address: a leak, whatever it is compared with. */
	} else if (!is32 && pkt_end_compare(&d, s, jop, &p_is_dst, &which)) {
		vfy_state_copy(taken, st);
		*live = VFY_FALL | VFY_TAKEN;
		if (which) {
			const struct vfy_reg p = p_is_dst ? d : *s;
			prove_range(which == VFY_FALL ? st : taken, &p, p_is_dst ? dst : (unsigned)src);
		}
		return 0;
	}
	if (jop != NYK_JMP_JSET && pkt_family(d.kind) && pkt_family(s->kind)) {
		/* Packet pointers among themselves: allowed, no refinement. */
		vfy_state_copy(taken, st);
		*live = VFY_FALL | VFY_TAKEN;
		return 0;
	}
	if (!env->privileged) {
		if (vfy_is_ptr(&d))
			vfy_blame(env, (int)dst);
		if (src >= 0 && vfy_is_ptr(s))
			vfy_blame(env, src);
		return vfy_reject(env, pc, "comparison of %s with %s is not allowed", vt_kind(&d), vt_kind(s));
	}
	vfy_state_copy(taken, st);
	*live = VFY_FALL | VFY_TAKEN;
	return 0;
}

struct copy_mark {
	uint32_t id;
	const struct vfy_value *v;
};

static void mark_copy(struct vfy_reg *r, void *arg)
{
	const struct copy_mark *m = arg;

	if (r->kind == VFY_SCALAR && r->id == m->id)
		r->v = *m->v;
}

/*
 * A branch learnt `v` about scalar register `regno`: so for its copies
 * (registers and spills sharing its id hold the same value).
 */
static void refine_copies(struct vfy_state *st, unsigned regno, const struct vfy_value *v)
{
	struct copy_mark m = { st->regs[regno].id, v };

	st->regs[regno].v = *v;
	if (m.id)
		vt_for_each_reg(st, mark_copy, &m);
}

static int do_jump(struct vfy_env *env, size_t pc, struct vfy_state *st, struct vfy_state *taken, unsigned *live)
{
	const struct nyk_insn *in = &env->insns[pc];
	bool is32 = (in->opcode & 7) == NYK_CLASS_JMP32;
	unsigned jop = in->opcode & 0xf0;
	unsigned dst = nyk_insn_dst(in), src = nyk_insn_src(in);
	bool x = in->opcode & NYK_SRC_X;
	struct vfy_reg imm;
	const struct vfy_reg *s;
	struct vfy_value a, b;
	bool fall_ok, take_ok;
	int rc;

	if ((rc = vt_need_init(env, pc, st, dst)) < 0)
		return rc;
	if ((rc = source_operand(env, pc, st, &imm, &s)) < 0)
		return rc;
	if (vfy_is_ptr(&st->regs[dst]) || vfy_is_ptr(s)) {
		struct vfy_reg sc = *s;
		return ptr_branch(env, pc, st, taken, live, dst, x ? (int)src : -1, &sc);
	}
	vfy_state_copy(taken, st);
	/* Taken branch. */
	a = st->regs[dst].v;
	b = s->v;
	take_ok = vv_branch(&a, &b, jop, is32, true);
	if (take_ok) {
		refine_copies(taken, dst, &a);
		if (x && src != dst)
			refine_copies(taken, src, &b);
	}
	/* Fall-through. */
	a = st->regs[dst].v;
	b = s->v;
	fall_ok = vv_branch(&a, &b, jop, is32, false);
	if (fall_ok) {
		refine_copies(st, dst, &a);
		if (x && src != dst)
			refine_copies(st, src, &b);
	}
	*live = (fall_ok ? VFY_FALL : 0u) | (take_ok ? VFY_TAKEN : 0u);
	return 0;
}

/* ---- lddw ------------------------------------------------------------------------ */

static int do_lddw(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned dst = nyk_insn_dst(in);
	int32_t next = pc + 1 < env->count ? env->insns[pc + 1].imm : 0;
	struct vfy_reg r;
	const struct nyk_map_def *def;
	char name[64];

	switch (nyk_insn_src(in)) {
	case NYK_PSEUDO_NONE:
		vt_set_const(&r, (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)next << 32, (uint32_t)pc);
		break;
	case NYK_PSEUDO_MAP_FD:
	case NYK_PSEUDO_MAP_IDX:
	case NYK_PSEUDO_MAP_VALUE:
	case NYK_PSEUDO_MAP_IDX_VALUE:
		if (in->imm < 0 || (size_t)in->imm >= env->nmaps || !env->maps || !env->maps[in->imm])
			return vfy_reject(env, pc, "lddw refers to map %d, but the program has %zu maps", in->imm,
					  env->nmaps);
		def = env->maps[in->imm];
		vt_set_scalar(&r, (uint32_t)pc);
		r.map = (uint32_t)in->imm;
		if (nyk_insn_src(in) == NYK_PSEUDO_MAP_FD || nyk_insn_src(in) == NYK_PSEUDO_MAP_IDX) {
			r.kind = VFY_MAP_PTR;
			vv_const(&r.v, 0);
			break;
		}
		if (def->type != NYK_MAP_ARRAY || def->max_entries != 1)
			return vfy_reject(env, pc,
					  "lddw of a value of map %s: only single-entry array maps have direct values",
					  vt_map_name(env, r.map, name, sizeof(name)));
		if ((uint32_t)next >= def->value_size)
			return vfy_reject(env, pc, "map value access off=%u size=1 is outside the value of %u bytes",
					  (uint32_t)next, def->value_size);
		r.kind = VFY_MAP_VALUE;
		vv_const(&r.v, (uint32_t)next);
		if (def->map_flags & NYK_F_RDONLY_PROG)
			r.flags |= VFY_F_RDONLY;
		break;
	case NYK_PSEUDO_FUNC:
		vt_set_scalar(&r, (uint32_t)pc);
		r.kind = VFY_FUNC;
		vv_const(&r.v, (uint64_t)((int64_t)pc + in->imm + 1));
		break;
	case NYK_PSEUDO_BTF_ID:
		return vfy_reject(env, pc, "kernel variables (ksym) are not supported");
	default:
		return vfy_reject(env, pc, "lddw with unknown source %u", nyk_insn_src(in));
	}
	st->regs[dst] = r;
	return 0;
}

/* ---- the entry points ------------------------------------------------------------ */

int vfy_transfer(struct vfy_env *env, size_t pc, struct vfy_state *st, struct vfy_state *taken, unsigned *live)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned mode = in->opcode & 0xe0;

	*live = VFY_FALL;
	switch (in->opcode & 7) {
	case NYK_CLASS_ALU:
	case NYK_CLASS_ALU64:
		return do_alu(env, pc, st);
	case NYK_CLASS_LDX:
		return vt_load(env, pc, st);
	case NYK_CLASS_ST:
		return vt_store(env, pc, st);
	case NYK_CLASS_STX:
		return mode == NYK_MODE_ATOMIC ? vt_atomic(env, pc, st) : vt_store(env, pc, st);
	case NYK_CLASS_LD:
		if (mode == NYK_MODE_IMM)
			return do_lddw(env, pc, st);
		return vt_legacy_load(env, pc, st);
	default: /* JMP, JMP32 */
		switch (in->opcode & 0xf0) {
		case NYK_JMP_CALL:
			if (nyk_insn_src(in) == NYK_CALL_KFUNC)
				return vfy_reject(env, pc, "kfunc calls are not supported");
			if (nyk_insn_src(in) != NYK_CALL_HELPER || (in->opcode & NYK_SRC_X))
				return -EINVAL;   /* the engine's: local calls and callx */
			return vt_call(env, pc, st);
		case NYK_JMP_JA:
		case NYK_JMP_EXIT:
			return -EINVAL;           /* the engine's */
		default:
			return do_jump(env, pc, st, taken, live);
		}
	}
}

const char *vt_ref_helper_name(const struct vfy_env *env, uint32_t pc)
{
	const struct nyk_helper_proto *p;

	if (pc >= env->count)
		return "?";
	p = vfy_helper_proto(env, (uint32_t)env->insns[pc].imm);
	if (p && p->name)
		return p->name;
	return nyk_helper_name((uint32_t)env->insns[pc].imm) ? nyk_helper_name((uint32_t)env->insns[pc].imm) : "?";
}

int vfy_check_exit(struct vfy_env *env, size_t pc, const struct vfy_state *st)
{
	const struct vfy_reg *r0 = &st->regs[0];
	const struct nyk_progtype_desc *d = env->desc;
	char buf[96];

	if (r0->kind == VFY_NOT_INIT) {
		vfy_blame(env, 0);
		return vfy_reject(env, pc, "r0 is not initialised at exit");
	}
	if (vfy_is_ptr(r0) && !env->privileged) {
		vfy_blame(env, 0);
		return vfy_reject(env, pc, "r0 leaks a %s pointer as the return value", vt_kind(r0));
	}
	if (r0->kind == VFY_SCALAR && d && !(d->ret_min == INT64_MIN && d->ret_max == INT64_MAX) &&
	    (r0->v.smin < d->ret_min || r0->v.smax > d->ret_max)) {
		vfy_blame(env, 0);
		return vfy_reject(env, pc, "return value %s is outside [%lld,%lld] allowed for %s programs",
				  vv_print(&r0->v, buf, sizeof(buf)), (long long)d->ret_min, (long long)d->ret_max,
				  d->name ? d->name : "these");
	}
	if (st->nrefs > 0) {
		uint32_t at = st->refs[0] - 1;
		return vfy_reject(env, pc, "reference from insn %u (%s) is not released before exit", at,
				  vt_ref_helper_name(env, at));
	}
	if (st->lock)
		return vfy_reject(env, pc, "spin lock still held at exit");
	return 0;
}
