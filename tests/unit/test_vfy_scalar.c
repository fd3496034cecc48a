/*
 * test_vfy_scalar.c - the verifier's value domain (src/verifier/scalar.c).
 *
 * Soundness: random abstract values are built from small random sets of
 * concrete values; every operation applied to members of its inputs must
 * give a member of its output (checked against a reference evaluator of
 * the ISA written here, independent of the interpreter). Precision: the
 * cases the verifier relies on (constants stay constants, masks bound,
 * comparisons refine, 32-bit results are zero-extended, ...).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "verifier/vfy.h"

/* Longer runs for hunting bugs: -DVFY_SCALAR_SCALE=100 -DVFY_SCALAR_SEED=n. */
#ifndef VFY_SCALAR_SCALE
#define VFY_SCALAR_SCALE 1
#endif
#ifndef VFY_SCALAR_SEED
#define VFY_SCALAR_SEED 0
#endif

/* ---- a deterministic PRNG --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static uint64_t rnd_below(uint64_t n) { return rnd() % n; }

static const uint64_t edges[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000, 0x1ffffffff,
	0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001, 0xfffffffffffffffe,
	0xffffffffffffffff, 0xffffffff80000000, 0xffffffff7fffffff, 0xfffffffffffffff0,
};

/* A concrete value: edges, small numbers of either sign, 32-bit and 64-bit noise. */
static uint64_t rnd_concrete(void)
{
	switch (rnd_below(8)) {
	case 0:
	case 1: return edges[rnd_below(sizeof edges / sizeof edges[0])];
	case 2: return rnd_below(20);
	case 3: return 0 - rnd_below(20);
	case 4: return (uint32_t)rnd();
	case 5: return (uint64_t)(int64_t)(int32_t)rnd_below(2000) - 1000;
	case 6: return edges[rnd_below(sizeof edges / sizeof edges[0])] + rnd_below(5) - 2;
	default: return rnd();
	}
}

/* ---- membership ---------------------------------------------------------------------- */

static bool member(const struct vfy_value *v, uint64_t x)
{
	return x >= v->umin && x <= v->umax && (int64_t)x >= v->smin && (int64_t)x <= v->smax &&
	       (uint32_t)x >= v->u32min && (uint32_t)x <= v->u32max && (int32_t)(uint32_t)x >= v->s32min &&
	       (int32_t)(uint32_t)x <= v->s32max && (x & ~v->mask) == v->val;
}

#define MAXS 10

/* An abstract value with some of its members. */
struct sample {
	struct vfy_value v;
	uint64_t x[MAXS];
	int n;
};

static void add_member(struct sample *s, uint64_t x)
{
	if (s->n < MAXS && member(&s->v, x))
		s->x[s->n++] = x;
}

/* Random abstract values: joins of constants, ranges around them, unknown sizes. */
static void rnd_sample(struct sample *s)
{
	uint64_t base[4];
	int k = 1 + (int)rnd_below(4);

	for (int i = 0; i < k; i++)
		base[i] = rnd_concrete();
	switch (rnd_below(10)) {
	case 0: {   /* a signed range covering the set */
		int64_t lo = (int64_t)base[0], hi = lo;
		for (int i = 1; i < k; i++) {
			lo = (int64_t)base[i] < lo ? (int64_t)base[i] : lo;
			hi = (int64_t)base[i] > hi ? (int64_t)base[i] : hi;
		}
		vv_srange(&s->v, lo, hi);
		break;
	}
	case 1: {   /* an unsigned range */
		uint64_t lo = base[0], hi = lo;
		for (int i = 1; i < k; i++) {
			lo = base[i] < lo ? base[i] : lo;
			hi = base[i] > hi ? base[i] : hi;
		}
		vv_urange(&s->v, lo, hi);
		break;
	}
	case 2:
		vv_unknown_size(&s->v, 1u << rnd_below(4), rnd_below(2));
		break;
	case 3:
		vv_unknown(&s->v);
		break;
	default:
		vv_const(&s->v, base[0]);
		for (int i = 1; i < k; i++) {
			struct vfy_value c;
			vv_const(&c, base[i]);
			vv_join(&s->v, &c);
		}
		break;
	}
	s->n = 0;
	for (int i = 0; i < k; i++)
		add_member(s, base[i]);
	/* members at the edges of the parts, and random ones inside */
	add_member(s, s->v.umin);
	add_member(s, s->v.umax);
	add_member(s, (uint64_t)s->v.smin);
	add_member(s, (uint64_t)s->v.smax);
	add_member(s, s->v.val);
	add_member(s, s->v.val | s->v.mask);
	for (int tries = 0; tries < 6 && s->n < MAXS; tries++) {
		uint64_t x = s->v.umin + rnd_below(s->v.umax - s->v.umin + (s->v.umax - s->v.umin < UINT64_MAX));
		if (s->v.umax - s->v.umin == UINT64_MAX)
			x = rnd_concrete();
		x = (x & s->v.mask) | s->v.val;
		add_member(s, x);
	}
}

static uint64_t ref_alu(const struct nyk_insn *in, uint64_t d, uint64_t s);
static bool ref_cond(unsigned jop, bool is32, uint64_t a, uint64_t b);

/*
 * A value shaped by the operations a program does: a random sample put
 * through a few ALU operations with constants and comparisons. The members
 * follow concretely; any member lost on the way is a soundness failure
 * (reported by the caller through `lost`).
 */
static void rnd_shaped(struct sample *s, bool *lost)
{
	static const uint8_t ops[] = { NYK_ALU_ADD, NYK_ALU_SUB, NYK_ALU_MUL, NYK_ALU_AND, NYK_ALU_OR,
				       NYK_ALU_XOR, NYK_ALU_LSH, NYK_ALU_RSH, NYK_ALU_ARSH, NYK_ALU_DIV,
				       NYK_ALU_MOD };
	static const uint8_t jmps[] = { NYK_JMP_JEQ, NYK_JMP_JNE, NYK_JMP_JGT, NYK_JMP_JGE, NYK_JMP_JLT,
					NYK_JMP_JLE, NYK_JMP_JSGT, NYK_JMP_JSGE, NYK_JMP_JSLT, NYK_JMP_JSLE,
					NYK_JMP_JSET };
	int steps = (int)rnd_below(4);

	rnd_sample(s);
	for (int step = 0; step < steps; step++) {
		uint64_t c = rnd_below(2) ? rnd_below(70) : rnd_concrete();
		struct vfy_value k;

		vv_const(&k, c);
		if (rnd_below(2)) {
			struct nyk_insn in = { (uint8_t)(ops[rnd_below(sizeof ops)] | NYK_SRC_X |
							 (rnd_below(2) ? NYK_CLASS_ALU64 : NYK_CLASS_ALU)), 0, 0, 0 };
			vv_alu(&s->v, &in, &k);
			for (int i = 0; i < s->n; i++) {
				s->x[i] = ref_alu(&in, s->x[i], c);
				*lost |= !member(&s->v, s->x[i]);
			}
		} else {
			unsigned jop = jmps[rnd_below(sizeof jmps)];
			bool is32 = rnd_below(2), taken = rnd_below(2);
			struct vfy_value v = s->v;
			int n = 0;

			for (int i = 0; i < s->n; i++)
				n += ref_cond(jop, is32, s->x[i], c) == taken;
			if (n == 0)
				taken = !taken;
			if (!vv_branch(&v, &k, jop, is32, taken)) {
				*lost |= s->n > 0;
				continue;
			}
			s->v = v;
			n = 0;
			for (int i = 0; i < s->n; i++)
				if (ref_cond(jop, is32, s->x[i], c) == taken) {
					*lost |= !member(&s->v, s->x[i]);
					s->x[n++] = s->x[i];
				}
			s->n = n;
			if (n == 0)
				add_member(s, s->v.umin);
		}
	}
}

/* ---- the reference evaluator ------------------------------------------------------------ */

static bool host_le(void)
{
	uint16_t one = 1;
	uint8_t b;
	memcpy(&b, &one, 1);
	return b == 1;
}

static uint64_t swap_bytes(uint64_t x, unsigned bytes)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < bytes; i++)
		r = (r << 8) | ((x >> (8 * i)) & 0xff);
	return r;
}

static uint64_t ref_alu64(unsigned op, int off, int32_t imm, uint64_t d, uint64_t s)
{
	switch (op) {
	case NYK_ALU_ADD: return d + s;
	case NYK_ALU_SUB: return d - s;
	case NYK_ALU_MUL: return d * s;
	case NYK_ALU_DIV:
		if (s == 0)
			return 0;
		if (off == 1) {
			if ((int64_t)s == -1)
				return 0 - d;
			return (uint64_t)((int64_t)d / (int64_t)s);
		}
		return d / s;
	case NYK_ALU_MOD:
		if (s == 0)
			return d;
		if (off == 1) {
			if ((int64_t)s == -1)
				return 0;
			return (uint64_t)((int64_t)d % (int64_t)s);
		}
		return d % s;
	case NYK_ALU_OR: return d | s;
	case NYK_ALU_AND: return d & s;
	case NYK_ALU_XOR: return d ^ s;
	case NYK_ALU_LSH: return d << (s & 63);
	case NYK_ALU_RSH: return d >> (s & 63);
	case NYK_ALU_ARSH: {
		unsigned k = (unsigned)(s & 63);
		uint64_t r = d >> k;
		if ((d >> 63) && k)
			r |= ~(UINT64_MAX >> k);
		return r;
	}
	case NYK_ALU_NEG: return 0 - d;
	case NYK_ALU_MOV:
		if (off == 8) return (uint64_t)(int64_t)(int8_t)(uint8_t)s;
		if (off == 16) return (uint64_t)(int64_t)(int16_t)(uint16_t)s;
		if (off == 32) return (uint64_t)(int64_t)(int32_t)(uint32_t)s;
		return s;
	case NYK_ALU_END: return swap_bytes(d, (unsigned)imm / 8);   /* bswap */
	default: return 0;
	}
}

static uint64_t ref_alu32(unsigned op, int off, int32_t imm, bool to_be, uint32_t d, uint32_t s)
{
	switch (op) {
	case NYK_ALU_ADD: return (uint32_t)(d + s);
	case NYK_ALU_SUB: return (uint32_t)(d - s);
	case NYK_ALU_MUL: return (uint32_t)(d * s);
	case NYK_ALU_DIV:
		if (s == 0)
			return 0;
		if (off == 1) {
			if ((int32_t)s == -1)
				return (uint32_t)(0 - d);
			return (uint32_t)((int32_t)d / (int32_t)s);
		}
		return d / s;
	case NYK_ALU_MOD:
		if (s == 0)
			return d;
		if (off == 1) {
			if ((int32_t)s == -1)
				return 0;
			return (uint32_t)((int32_t)d % (int32_t)s);
		}
		return d % s;
	case NYK_ALU_OR: return d | s;
	case NYK_ALU_AND: return d & s;
	case NYK_ALU_XOR: return d ^ s;
	case NYK_ALU_LSH: return (uint32_t)(d << (s & 31));
	case NYK_ALU_RSH: return d >> (s & 31);
	case NYK_ALU_ARSH: {
		unsigned k = s & 31;
		uint32_t r = d >> k;
		if ((d >> 31) && k)
			r |= ~(UINT32_MAX >> k);
		return r;
	}
	case NYK_ALU_NEG: return (uint32_t)(0 - d);
	case NYK_ALU_MOV:
		if (off == 8) return (uint32_t)(int32_t)(int8_t)(uint8_t)s;
		if (off == 16) return (uint32_t)(int32_t)(int16_t)(uint16_t)s;
		return s;
	default: return 0;
	}
}

/* The instruction applied to concrete dst d and source s (the register, or the sign-extended imm). */
static uint64_t ref_alu(const struct nyk_insn *in, uint64_t d, uint64_t s)
{
	unsigned op = in->opcode & 0xf0;
	bool is64 = (in->opcode & 7) == NYK_CLASS_ALU64;

	if (op == NYK_ALU_END) {
		unsigned bits = (unsigned)in->imm;
		bool to_be = (in->opcode & NYK_SRC_X) != 0;
		uint64_t low = bits == 64 ? d : d & ((1ull << bits) - 1);
		if (is64 || to_be == host_le())
			return swap_bytes(d, bits / 8);
		return low;
	}
	if (is64)
		return ref_alu64(op, in->off, in->imm, d, s);
	return ref_alu32(op, in->off, in->imm, false, (uint32_t)d, (uint32_t)s);
}

static bool ref_cond(unsigned jop, bool is32, uint64_t a, uint64_t b)
{
	uint64_t ua = is32 ? (uint32_t)a : a, ub = is32 ? (uint32_t)b : b;
	int64_t sa = is32 ? (int32_t)(uint32_t)a : (int64_t)a, sb = is32 ? (int32_t)(uint32_t)b : (int64_t)b;

	switch (jop) {
	case NYK_JMP_JEQ: return ua == ub;
	case NYK_JMP_JNE: return ua != ub;
	case NYK_JMP_JGT: return ua > ub;
	case NYK_JMP_JGE: return ua >= ub;
	case NYK_JMP_JLT: return ua < ub;
	case NYK_JMP_JLE: return ua <= ub;
	case NYK_JMP_JSGT: return sa > sb;
	case NYK_JMP_JSGE: return sa >= sb;
	case NYK_JMP_JSLT: return sa < sb;
	case NYK_JMP_JSLE: return sa <= sb;
	case NYK_JMP_JSET: return (ua & ub) != 0;
	default: return false;
	}
}

/* ---- soundness ---------------------------------------------------------------------------- */

struct alu_case {
	uint8_t op;
	int16_t off;
	int32_t imm;
	bool unary;   /* neg, end: no source */
};

static const struct alu_case alu_cases[] = {
	{ NYK_ALU_ADD, 0, 0, false }, { NYK_ALU_SUB, 0, 0, false }, { NYK_ALU_MUL, 0, 0, false },
	{ NYK_ALU_DIV, 0, 0, false }, { NYK_ALU_DIV, 1, 0, false }, { NYK_ALU_OR, 0, 0, false },
	{ NYK_ALU_AND, 0, 0, false }, { NYK_ALU_LSH, 0, 0, false }, { NYK_ALU_RSH, 0, 0, false },
	{ NYK_ALU_NEG, 0, 0, true }, { NYK_ALU_MOD, 0, 0, false }, { NYK_ALU_MOD, 1, 0, false },
	{ NYK_ALU_XOR, 0, 0, false }, { NYK_ALU_MOV, 0, 0, false }, { NYK_ALU_MOV, 8, 0, false },
	{ NYK_ALU_MOV, 16, 0, false }, { NYK_ALU_MOV, 32, 0, false }, { NYK_ALU_ARSH, 0, 0, false },
	{ NYK_ALU_END, 0, 16, true }, { NYK_ALU_END, 0, 32, true }, { NYK_ALU_END, 0, 64, true },
};

static char pbuf[3][160];

/* Checks one instruction on (a, b) samples; returns false after reporting a failure. */
static bool check_alu(const struct nyk_insn *in, const struct sample *a, const struct sample *b)
{
	struct vfy_value r = a->v;

	vv_alu(&r, in, &b->v);
	if (vv_is_const(&a->v) && vv_is_const(&b->v) && a->n && b->n) {
		uint64_t want = ref_alu(in, a->x[0], b->x[0]);
		if (!vv_is_const(&r) || r.val != want) {
			test_fail(__FILE__, __LINE__, "op 0x%02x off %d imm %d: 0x%llx, 0x%llx -> %s, not 0x%llx",
				  in->opcode, in->off, in->imm, (unsigned long long)a->x[0],
				  (unsigned long long)b->x[0], vv_print(&r, pbuf[0], sizeof pbuf[0]),
				  (unsigned long long)want);
			return false;
		}
	}
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++) {
			uint64_t want = ref_alu(in, a->x[i], b->x[j]);
			if (!member(&r, want)) {
				test_fail(__FILE__, __LINE__,
					  "op 0x%02x off %d imm %d: 0x%llx, 0x%llx -> 0x%llx not in %s (a=%s b=%s)",
					  in->opcode, in->off, in->imm, (unsigned long long)a->x[i],
					  (unsigned long long)b->x[j], (unsigned long long)want,
					  vv_print(&r, pbuf[0], sizeof pbuf[0]), vv_print(&a->v, pbuf[1], sizeof pbuf[1]),
					  vv_print(&b->v, pbuf[2], sizeof pbuf[2]));
				return false;
			}
		}
	return true;
}

static void sample_const(struct sample *s, uint64_t c)
{
	vv_const(&s->v, c);
	s->x[0] = c;
	s->n = 1;
}

TEST(vfy_scalar_alu_is_sound)
{
	rng_state = 0x9e3779b97f4a7c15ull + VFY_SCALAR_SEED;
	for (int iter = 0; iter < 1500 * VFY_SCALAR_SCALE; iter++) {
		struct sample a, b, k;
		int32_t imm = (int32_t)(uint32_t)rnd_concrete();

		bool lost = false;

		rnd_shaped(&a, &lost);
		rnd_shaped(&b, &lost);
		CHECK_MSG(!lost, "a member was lost while shaping the inputs");
		if (rnd_below(4) == 0)
			imm = (int32_t)rnd_below(70);
		sample_const(&k, (uint64_t)(int64_t)imm);
		for (size_t c = 0; c < sizeof alu_cases / sizeof alu_cases[0]; c++) {
			const struct alu_case *ac = &alu_cases[c];
			for (int cls = 0; cls < 2; cls++) {
				bool is64 = cls == 1;
				struct nyk_insn in = { 0, 0, ac->off, ac->imm };

				if (ac->op == NYK_ALU_MOV && ac->off == 32 && !is64)
					continue;
				if (ac->op == NYK_ALU_END) {
					/* class ALU: to-le (src K) and to-be (src X); ALU64: bswap (src K only) */
					for (int be = 0; be < (is64 ? 1 : 2); be++) {
						in.opcode = (uint8_t)(ac->op | (be ? NYK_SRC_X : NYK_SRC_K) |
								      (is64 ? NYK_CLASS_ALU64 : NYK_CLASS_ALU));
						if (!check_alu(&in, &a, &k))
							return;
					}
					continue;
				}
				in.opcode = (uint8_t)(ac->op | NYK_SRC_X | (is64 ? NYK_CLASS_ALU64 : NYK_CLASS_ALU));
				if (!check_alu(&in, &a, &b))
					return;
				if (ac->unary)
					continue;
				in.opcode = (uint8_t)(ac->op | NYK_SRC_K | (is64 ? NYK_CLASS_ALU64 : NYK_CLASS_ALU));
				in.imm = imm;
				if (!check_alu(&in, &a, &k))
					return;
			}
		}
	}
}

static const unsigned jops[] = {
	NYK_JMP_JEQ, NYK_JMP_JNE, NYK_JMP_JGT, NYK_JMP_JGE, NYK_JMP_JLT, NYK_JMP_JLE,
	NYK_JMP_JSGT, NYK_JMP_JSGE, NYK_JMP_JSLT, NYK_JMP_JSLE, NYK_JMP_JSET,
};

static bool check_branch(const struct sample *a, const struct sample *b, unsigned jop, bool is32, bool taken)
{
	struct vfy_value ra = a->v, rb = b->v;
	bool ok = vv_branch(&ra, &rb, jop, is32, taken);

	if (vv_is_const(&a->v) && vv_is_const(&b->v) && a->n && b->n &&
	    ok != (ref_cond(jop, is32, a->x[0], b->x[0]) == taken)) {
		test_fail(__FILE__, __LINE__, "jop 0x%02x%s %s on constants 0x%llx, 0x%llx: feasible=%d", jop,
			  is32 ? " (32)" : "", taken ? "taken" : "not taken", (unsigned long long)a->x[0],
			  (unsigned long long)b->x[0], ok);
		return false;
	}

	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++) {
			if (ref_cond(jop, is32, a->x[i], b->x[j]) != taken)
				continue;
			if (!ok || !member(&ra, a->x[i]) || !member(&rb, b->x[j])) {
				test_fail(__FILE__, __LINE__,
					  "jop 0x%02x%s %s: 0x%llx, 0x%llx lost (ok=%d a'=%s b'=%s; a=%s b=%s)", jop,
					  is32 ? " (32)" : "", taken ? "taken" : "not taken",
					  (unsigned long long)a->x[i], (unsigned long long)b->x[j], ok,
					  vv_print(&ra, pbuf[0], sizeof pbuf[0]), vv_print(&rb, pbuf[1], sizeof pbuf[1]),
					  vv_print(&a->v, pbuf[2], sizeof pbuf[2]), "");
				return false;
			}
		}
	return true;
}

TEST(vfy_scalar_branch_is_sound)
{
	rng_state = 0x1234567887654321ull + VFY_SCALAR_SEED;
	for (int iter = 0; iter < 3000 * VFY_SCALAR_SCALE; iter++) {
		struct sample a, b;
		bool lost = false;

		rnd_shaped(&a, &lost);
		if (rnd_below(3) == 0)
			sample_const(&b, rnd_concrete());
		else
			rnd_shaped(&b, &lost);
		CHECK_MSG(!lost, "a member was lost while shaping the inputs");
		for (size_t j = 0; j < sizeof jops / sizeof jops[0]; j++)
			for (int w = 0; w < 2; w++)
				for (int t = 0; t < 2; t++) {
					if (!check_branch(&a, &b, jops[j], w, t))
						return;
					/* a register compared with itself */
					struct vfy_value r = a.v;
					bool ok = vv_branch(&r, &r, jops[j], w, t);
					for (int i = 0; i < a.n; i++)
						if (ref_cond(jops[j], w, a.x[i], a.x[i]) == (bool)t)
							CHECK_MSG(ok && member(&r, a.x[i]), "self-compare jop 0x%x lost 0x%llx",
								  jops[j], (unsigned long long)a.x[i]);
				}
	}
}

TEST(vfy_scalar_lattice_is_sound)
{
	uint64_t tu[16];
	int64_t ts[16];
	struct vfy_thresholds th = { tu, 0, ts, 0 };

	rng_state = 0xabcdef0123456789ull + VFY_SCALAR_SEED;
	for (int iter = 0; iter < 5000 * VFY_SCALAR_SCALE; iter++) {
		struct sample a, b;
		struct vfy_value j, w, n, ref;
		bool lost = false;

		rnd_shaped(&a, &lost);
		rnd_shaped(&b, &lost);
		CHECK_MSG(!lost, "a member was lost while shaping the inputs");
		/* random sorted thresholds */
		th.nu = th.ns = (size_t)rnd_below(8);
		for (size_t i = 0; i < th.nu; i++) {
			tu[i] = rnd_concrete();
			ts[i] = (int64_t)rnd_concrete();
		}
		for (size_t i = 1; i < th.nu; i++)
			for (size_t k = i; k > 0 && tu[k - 1] > tu[k]; k--) {
				uint64_t t = tu[k];
				tu[k] = tu[k - 1];
				tu[k - 1] = t;
			}
		for (size_t i = 1; i < th.ns; i++)
			for (size_t k = i; k > 0 && ts[k - 1] > ts[k]; k--) {
				int64_t t = ts[k];
				ts[k] = ts[k - 1];
				ts[k - 1] = t;
			}
		j = a.v;
		vv_join(&j, &b.v);
		w = a.v;
		vv_widen(&w, &b.v, (iter & 1) ? &th : NULL);
		CHECK(vv_leq(&a.v, &j) && vv_leq(&b.v, &j));
		CHECK(vv_leq(&a.v, &w) && vv_leq(&b.v, &w));
		CHECK(vv_leq(&j, &w));
		CHECK(vv_eq(&a.v, &a.v) && vv_leq(&a.v, &a.v));
		for (int i = 0; i < a.n; i++)
			CHECK(member(&j, a.x[i]) && member(&w, a.x[i]));
		for (int i = 0; i < b.n; i++)
			CHECK(member(&j, b.x[i]) && member(&w, b.x[i]));
		/* narrowing the join by a (which it contains) keeps a */
		n = j;
		vv_narrow(&n, &a.v);
		for (int i = 0; i < a.n; i++)
			CHECK(member(&n, a.x[i]));
		CHECK(vv_leq(&n, &j));
		/* sync keeps a value's members, and is idempotent on synced values */
		ref = a.v;
		CHECK(vv_sync(&ref));
		CHECK(vv_eq(&ref, &a.v));
	}
}

/* A distance: often 0, otherwise of any magnitude. */
static uint64_t rnd_dist(void)
{
	if (rnd_below(3) == 0)
		return 0;
	return rnd_below(1ull << rnd_below(63));
}

/* Random constraint sets around a known member: sync must keep it (and every other member). */
TEST(vfy_scalar_sync_is_sound)
{
	rng_state = 0x0badc0ffee123457ull + VFY_SCALAR_SEED;
	for (int iter = 0; iter < 30000 * VFY_SCALAR_SCALE; iter++) {
		uint64_t x = rnd_concrete(), others[8];
		struct vfy_value v;
		bool in[8];

		vv_unknown(&v);
		if (rnd_below(2)) {
			uint64_t d = rnd_dist();
			v.umin = d <= x ? x - d : 0;
		}
		if (rnd_below(2)) {
			uint64_t d = rnd_dist();
			v.umax = x + d >= x ? x + d : UINT64_MAX;
		}
		if (rnd_below(2)) {
			uint64_t d = rnd_dist();
			v.smin = (int64_t)x >= INT64_MIN + (int64_t)d ? (int64_t)x - (int64_t)d : INT64_MIN;
		}
		if (rnd_below(2)) {
			uint64_t d = rnd_dist();
			v.smax = (int64_t)x <= INT64_MAX - (int64_t)d ? (int64_t)x + (int64_t)d : INT64_MAX;
		}
		if (rnd_below(2)) {
			uint32_t d = (uint32_t)rnd_dist();
			v.u32min = d <= (uint32_t)x ? (uint32_t)x - d : 0;
		}
		if (rnd_below(2)) {
			uint32_t d = (uint32_t)rnd_dist();
			v.u32max = (uint32_t)x + d >= (uint32_t)x ? (uint32_t)x + d : UINT32_MAX;
		}
		if (rnd_below(2)) {
			int64_t lo = (int64_t)(int32_t)(uint32_t)x - (int64_t)(uint32_t)rnd_dist();
			v.s32min = lo < INT32_MIN ? INT32_MIN : (int32_t)lo;
		}
		if (rnd_below(2)) {
			int64_t hi = (int64_t)(int32_t)(uint32_t)x + (int64_t)(uint32_t)rnd_dist();
			v.s32max = hi > INT32_MAX ? INT32_MAX : (int32_t)hi;
		}
		if (rnd_below(2)) {
			v.mask = rnd() | rnd();
			v.val = x & ~v.mask;
		}
		if (!member(&v, x))   /* an overflowed bound above: start again */
			continue;
		for (int i = 0; i < 8; i++) {
			others[i] = i < 4 ? x + rnd_below(9) - 4 : (x & v.mask) ^ (rnd() & v.mask) ^ v.val;
			others[i] = (i >= 4) ? ((others[i] & v.mask) | v.val) : others[i];
			in[i] = member(&v, others[i]);
		}
		CHECK_MSG(vv_sync(&v), "0x%llx: sync says empty", (unsigned long long)x);
		CHECK_MSG(member(&v, x), "0x%llx lost by sync: %s", (unsigned long long)x,
			  vv_print(&v, pbuf[0], sizeof pbuf[0]));
		for (int i = 0; i < 8; i++)
			CHECK_MSG(!in[i] || member(&v, others[i]), "0x%llx lost by sync", (unsigned long long)others[i]);
	}
}

/* ---- precision --------------------------------------------------------------------------- */

static struct nyk_insn alu_insn(unsigned cls, unsigned op, unsigned src, int16_t off, int32_t imm)
{
	struct nyk_insn in = { (uint8_t)(cls | op | src), 0, off, imm };
	return in;
}

/* dst = dst op src for a 64-bit or 32-bit op with a register source. */
static void do_alu(struct vfy_value *d, unsigned cls, unsigned op, const struct vfy_value *s)
{
	struct nyk_insn in = alu_insn(cls, op, NYK_SRC_X, 0, 0);
	vv_alu(d, &in, s);
}

static void do_alu_k(struct vfy_value *d, unsigned cls, unsigned op, int32_t imm)
{
	struct nyk_insn in = alu_insn(cls, op, NYK_SRC_K, 0, imm);
	struct vfy_value k;
	vv_const(&k, (uint64_t)(int64_t)imm);
	vv_alu(d, &in, &k);
}

#define P(v) vv_print(&(v), pbuf[0], sizeof pbuf[0])

TEST(vfy_scalar_constants_stay_constant)
{
	struct vfy_value a, b;
	static const unsigned ops[] = { NYK_ALU_ADD, NYK_ALU_SUB, NYK_ALU_MUL, NYK_ALU_DIV, NYK_ALU_OR,
					NYK_ALU_AND, NYK_ALU_LSH, NYK_ALU_RSH, NYK_ALU_MOD, NYK_ALU_XOR,
					NYK_ALU_ARSH };
	static const uint64_t vals[][2] = { { 40, 2 }, { 0xffffffffffffffff, 3 }, { 0x8000000000000000, 63 },
					    { 0x123456789, 0x10 }, { 7, 0 }, { 0xfffffff0, 0xffffffff } };

	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
			for (int cls = 0; cls < 2; cls++) {
				struct nyk_insn in = alu_insn(cls ? NYK_CLASS_ALU64 : NYK_CLASS_ALU, ops[o], NYK_SRC_X, 0, 0);
				vv_const(&a, vals[i][0]);
				vv_const(&b, vals[i][1]);
				vv_alu(&a, &in, &b);
				CHECK_MSG(vv_is_const(&a) && a.val == ref_alu(&in, vals[i][0], vals[i][1]),
					  "op 0x%02x on 0x%llx, 0x%llx gives %s", in.opcode,
					  (unsigned long long)vals[i][0], (unsigned long long)vals[i][1], P(a));
			}
	vv_const(&a, 40);
	vv_const(&b, 2);
	do_alu(&a, NYK_CLASS_ALU64, NYK_ALU_ADD, &b);
	CHECK_STR(P(a), "42");
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_SUB, 50);
	CHECK_STR(P(a), "-8");
	do_alu_k(&a, NYK_CLASS_ALU, NYK_ALU_ADD, 0);   /* 32-bit: zero-extended */
	CHECK_STR(P(a), "0xfffffff8");
}

TEST(vfy_scalar_masks_and_shifts)
{
	struct vfy_value a;

	vv_urange(&a, 0, 10);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_AND, 0xff);
	CHECK_STR(P(a), "[0,10]");
	CHECK(a.umax == 10 && a.smin == 0);

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_AND, 0xff);
	CHECK_STR(P(a), "[0,255]");

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_RSH, 56);
	CHECK_STR(P(a), "[0,255]");

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_ARSH, 56);
	CHECK_STR(P(a), "s[-128,127]");

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_AND, 0xfe);
	CHECK_STR(P(a), "[0,254] var=0x0,0xfe");

	vv_urange(&a, 0, 255);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_LSH, 3);
	CHECK(a.umin == 0 && a.umax == 255 * 8 && a.mask == 0x7f8);

	/* a sum that wraps as a whole stays an interval */
	vv_srange(&a, -4, 4);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_ADD, 10);
	CHECK_STR(P(a), "[6,14]");
	vv_srange(&a, -4, 4);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_MUL, 8);
	CHECK_STR(P(a), "s[-32,32] var=0x0,0xfffffffffffffff8");

	/* x % 16 and x / 16 */
	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_MOD, 16);
	CHECK_STR(P(a), "[0,15]");
	vv_urange(&a, 0, 1000);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_DIV, 16);
	CHECK_STR(P(a), "[0,62]");
}

TEST(vfy_scalar_32bit_zero_extends)
{
	struct vfy_value a, b;

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU, NYK_ALU_ADD, 1);
	CHECK(a.umax <= 0xffffffff && a.umin == 0 && a.smin == 0);
	CHECK_STR(P(a), "[0,0xffffffff]");

	vv_unknown(&a);
	vv_unknown(&b);
	{
		struct nyk_insn mov32 = alu_insn(NYK_CLASS_ALU, NYK_ALU_MOV, NYK_SRC_X, 0, 0);
		vv_alu(&a, &mov32, &b);
	}
	CHECK(a.umax == 0xffffffff);

	/* w0 = w1 + w2 with small values: exact */
	vv_urange(&a, 10, 20);
	vv_urange(&b, 1, 2);
	do_alu(&a, NYK_CLASS_ALU, NYK_ALU_ADD, &b);
	CHECK_STR(P(a), "[11,22]");

	/* 32-bit negative constant */
	vv_const(&a, 5);
	do_alu_k(&a, NYK_CLASS_ALU, NYK_ALU_SUB, 6);
	CHECK(vv_is_const(&a) && a.val == 0xffffffff);

	/* movsx */
	vv_urange(&a, 0, 255);
	{
		struct nyk_insn sx = alu_insn(NYK_CLASS_ALU64, NYK_ALU_MOV, NYK_SRC_X, 8, 0);
		vv_alu(&b, &sx, &a);
	}
	CHECK_STR(P(b), "s[-128,127]");
}

TEST(vfy_scalar_branch_refines)
{
	struct vfy_value a, b;

	/* u < 16 */
	vv_unknown(&a);
	vv_const(&b, 16);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLT, false, true));
	CHECK_STR(P(a), "[0,15]");
	vv_unknown(&a);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLT, false, false));
	CHECK_STR(P(a), "[16,0xffffffffffffffff]");

	/* x != 10 with x in [0,10] */
	vv_urange(&a, 0, 10);
	vv_const(&b, 10);
	CHECK(vv_branch(&a, &b, NYK_JMP_JNE, false, true));
	CHECK_STR(P(a), "[0,9]");
	vv_urange(&a, 0, 10);
	CHECK(vv_branch(&a, &b, NYK_JMP_JEQ, false, false));
	CHECK_STR(P(a), "[0,9]");
	vv_urange(&a, 0, 10);
	CHECK(vv_branch(&a, &b, NYK_JMP_JEQ, false, true));
	CHECK_STR(P(a), "10");

	/* infeasible: a in [0,5] > 10 */
	vv_urange(&a, 0, 5);
	vv_const(&b, 10);
	CHECK(!vv_branch(&a, &b, NYK_JMP_JGT, false, true));
	vv_urange(&a, 0, 5);
	CHECK(vv_branch(&a, &b, NYK_JMP_JGT, false, false));
	CHECK_STR(P(a), "[0,5]");

	/* signed: x s> -1 keeps the non-negative half */
	vv_unknown(&a);
	vv_const(&b, (uint64_t)-1);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSGT, false, true));
	CHECK_STR(P(a), "[0,0x7fffffffffffffff]");

	/* two registers: a < b with b in [0,8] gives a in [0,7] and b in [1,8] */
	vv_unknown(&a);
	vv_urange(&b, 0, 8);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLT, false, true));
	CHECK_STR(P(a), "[0,7]");
	CHECK(b.umin == 1 && b.umax == 8);

	/* 32-bit compare on a value whose upper half is zero refines 64 bits too */
	vv_unknown_size(&a, 4, false);
	vv_const(&b, 100);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLE, true, true));
	CHECK_STR(P(a), "[0,100]");
	/* ... and on an unknown 64-bit value only the low half */
	vv_unknown(&a);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLE, true, true));
	CHECK(a.u32max == 100 && a.umax == 0xffffffff00000064);

	/* jset */
	vv_urange(&a, 0, 15);
	vv_const(&b, 4);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSET, false, true));
	CHECK((a.val & 4) && !(a.mask & 4));
	vv_urange(&a, 0, 15);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSET, false, false));
	CHECK(a.mask == 0xb && a.umax == 11);
	vv_const(&a, 8);
	CHECK(!vv_branch(&a, &b, NYK_JMP_JSET, false, true));

	/* equality of two ranges meets them */
	vv_urange(&a, 0, 10);
	vv_urange(&b, 5, 20);
	CHECK(vv_branch(&a, &b, NYK_JMP_JEQ, false, true));
	CHECK_STR(P(a), "[5,10]");
	CHECK(vv_eq(&a, &b));
}

TEST(vfy_scalar_loads_and_ranges)
{
	struct vfy_value a;

	vv_unknown_size(&a, 2, false);
	CHECK_STR(P(a), "[0,65535]");
	vv_unknown_size(&a, 2, true);
	CHECK_STR(P(a), "s[-32768,32767]");
	CHECK(a.s32min == -32768 && a.s32max == 32767);
	vv_unknown_size(&a, 1, false);
	CHECK_STR(P(a), "[0,255]");
	vv_unknown_size(&a, 4, false);
	CHECK_STR(P(a), "[0,0xffffffff]");
	vv_unknown_size(&a, 4, true);
	CHECK_STR(P(a), "s[-0x80000000,0x7fffffff]");
	vv_unknown_size(&a, 8, false);
	CHECK_STR(P(a), "any");
	vv_srange(&a, -8, 7);
	CHECK_STR(P(a), "s[-8,7]");
	vv_urange(&a, 0x100000000, 0x1000000ff);
	CHECK_STR(P(a), "[0x100000000,0x1000000ff]");
	CHECK(a.u32max == 255);
	vv_const(&a, (uint64_t)-1);
	CHECK_STR(P(a), "-1");
	vv_const(&a, 0xffffffff00000000);
	CHECK_STR(P(a), "0xffffffff00000000");
}

TEST(vfy_scalar_widen_and_narrow)
{
	static const uint64_t tu[] = { 0, 1, 70, 100, 200 };
	static const int64_t ts[] = { -1, 0, 1, 70, 100, 200 };
	struct vfy_thresholds th = { tu, 5, ts, 6 };
	struct vfy_value a, b, w;

	/* bounds jump to the next threshold, as far as the known bits allow */
	vv_urange(&w, 0, 64);
	vv_urange(&b, 0, 66);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "[0,70]");
	vv_urange(&b, 0, 71);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "[0,100]");
	vv_urange(&b, 0, 101);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "[0,200]");   /* the known bits (0..127) do not hold it back */
	vv_urange(&b, 0, 201);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "[0,0x7fffffff]");   /* no threshold left: the 32-bit limits */
	vv_urange(&b, 0, 0x80000000);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "[0,0xffffffff]");
	vv_urange(&b, 0, 0x100000000);
	vv_widen(&w, &b, &th);
	CHECK(w.umin == 0 && w.umax == INT64_MAX);   /* smax did not grow past INT64_MAX */
	/* known low bits (alignment) survive widening */
	vv_const(&w, 0);
	vv_const(&b, 8);
	vv_join(&b, &w);
	vv_widen(&w, &b, &th);
	CHECK(w.umax == 64 && (w.mask & 7) == 0 && (w.val & 7) == 0);   /* 70 rounded to a multiple of 8 */
	/* signed lower bounds use the signed list */
	vv_srange(&w, 0, 10);
	vv_srange(&b, -1, 10);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "s[-1,10]");
	vv_srange(&b, -2, 10);
	vv_widen(&w, &b, &th);
	CHECK_STR(P(w), "s[-0x80000000,10]");   /* the 32-bit limit first */
	/* without thresholds: straight to the limits */
	vv_urange(&a, 5, 1000);
	vv_urange(&b, 4, 1000);
	vv_widen(&a, &b, NULL);
	CHECK_STR(P(a), "[0,1000]");
	vv_srange(&a, -5, 5);
	vv_srange(&b, -5, 6);
	vv_widen(&a, &b, NULL);
	CHECK_STR(P(a), "s[-5,0x7fffffff]");
	vv_const(&b, 6);
	/* narrowing brings back infinite bounds only */
	vv_narrow(&a, &b);
	CHECK_STR(P(a), "6");
	vv_urange(&a, 3, UINT64_MAX);
	vv_urange(&b, 4, 10);
	vv_narrow(&a, &b);
	CHECK(a.umin == 4 && a.umax == 10);   /* smin was the limit too: it takes 4 */
	/* tnum widening: differing bits become unknown */
	vv_const(&a, 4);
	vv_const(&b, 6);
	vv_widen(&a, &b, &th);
	CHECK(a.mask & 2);
	CHECK(!(a.val & 1) && !(a.mask & 1));
}

TEST(vfy_scalar_idioms)
{
	struct vfy_value a, b;
	struct nyk_insn in;

	/* sign extension by shifts: (x << 32) s>> 32 of a 32-bit load */
	vv_unknown_size(&a, 4, false);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_LSH, 32);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_ARSH, 32);
	CHECK_STR(P(a), "s[-0x80000000,0x7fffffff]");

	/* two-sided signed check */
	vv_unknown(&a);
	vv_const(&b, 0);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSLT, false, false));
	vv_const(&b, 100);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSGT, false, false));
	CHECK_STR(P(a), "[0,100]");

	/* 32-bit signed comparison */
	vv_unknown_size(&a, 4, false);
	vv_const(&b, 10);
	CHECK(vv_branch(&a, &b, NYK_JMP_JSGT, true, true));
	CHECK_STR(P(a), "[11,0x7fffffff]");

	/* a 32-bit sum that wraps as a whole */
	vv_urange(&a, 0xfffffff0, 0xffffffff);
	do_alu_k(&a, NYK_CLASS_ALU, NYK_ALU_ADD, 0x20);
	CHECK_STR(P(a), "[16,31]");

	/* negation, signed division and remainder */
	vv_urange(&a, 1, 10);
	in = alu_insn(NYK_CLASS_ALU64, NYK_ALU_NEG, NYK_SRC_K, 0, 0);
	vv_alu(&a, &in, &a);
	CHECK_STR(P(a), "s[-10,-1]");
	vv_srange(&a, -100, 100);
	in = alu_insn(NYK_CLASS_ALU64, NYK_ALU_DIV, NYK_SRC_K, 1, 10);
	vv_const(&b, 10);
	vv_alu(&a, &in, &b);
	CHECK_STR(P(a), "s[-10,10]");
	vv_srange(&a, -100, 100);
	in = alu_insn(NYK_CLASS_ALU64, NYK_ALU_MOD, NYK_SRC_K, 1, 7);
	vv_const(&b, 7);
	vv_alu(&a, &in, &b);
	CHECK_STR(P(a), "s[-6,6]");
	vv_srange(&a, 0, 5);   /* |x| < |y|: x % y is x */
	vv_alu(&a, &in, &b);
	CHECK_STR(P(a), "[0,5]");

	/* byte swaps keep the known bits */
	vv_urange(&a, 0, 255);
	in = alu_insn(NYK_CLASS_ALU, NYK_ALU_END, NYK_SRC_X, 0, 16);   /* be16 */
	vv_alu(&a, &in, &a);
	{
		uint16_t one = 1;
		uint8_t first;
		memcpy(&first, &one, 1);
		if (first == 1)
			CHECK(a.mask == 0xff00 && a.val == 0 && a.umax == 0xff00);
		else
			CHECK(a.mask == 0xff && a.umax == 0xff);
	}
	vv_unknown(&a);
	in = alu_insn(NYK_CLASS_ALU64, NYK_ALU_END, NYK_SRC_K, 0, 32);   /* bswap32 */
	vv_alu(&a, &in, &a);
	CHECK_STR(P(a), "[0,0xffffffff]");

	/* movsx32 of a 32-bit value with the sign bit clear stays as it is */
	vv_urange(&a, 5, 0x7fffffff);
	in = alu_insn(NYK_CLASS_ALU64, NYK_ALU_MOV, NYK_SRC_X, 32, 0);
	vv_alu(&b, &in, &a);
	CHECK(vv_eq(&a, &b));

	/* unsigned division by a range */
	vv_urange(&a, 100, 200);
	vv_urange(&b, 2, 4);
	do_alu(&a, NYK_CLASS_ALU64, NYK_ALU_DIV, &b);
	CHECK_STR(P(a), "[25,100]");

	/* 32-bit compare of a value whose upper half is known (not zero) */
	vv_urange(&a, 0x500000000, 0x5ffffffff);
	vv_const(&b, 8);
	CHECK(vv_branch(&a, &b, NYK_JMP_JLT, true, true));
	CHECK_STR(P(a), "[0x500000000,0x500000007]");
}

TEST(vfy_scalar_jset_single_possible_bit)
{
	struct vfy_value a, b;

	vv_unknown(&a);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_AND, 0x0f);
	vv_const(&b, 0x30);   /* bits 4 and 5: never set in a */
	CHECK(!vv_branch(&a, &b, NYK_JMP_JSET, false, true));
	vv_const(&b, 0x18);   /* only bit 3 can be set */
	CHECK(vv_branch(&a, &b, NYK_JMP_JSET, false, true));
	CHECK_STR(P(a), "[8,15]");
	/* 32-bit jset looks at the low halves only */
	vv_const(&a, 0x100000000);
	vv_const(&b, 0x100000000);
	CHECK(!vv_branch(&a, &b, NYK_JMP_JSET, true, true));
	CHECK(vv_branch(&a, &b, NYK_JMP_JSET, false, true));
}

/* Every pair of edge values (and their neighbours): constants in, exact constants and outcomes out. */
TEST(vfy_scalar_edge_constants)
{
	enum { NE = sizeof edges / sizeof edges[0] };
	uint64_t vals[3 * NE];
	size_t nv = 0;

	for (size_t i = 0; i < NE; i++) {
		vals[nv++] = edges[i];
		vals[nv++] = edges[i] + 1;
		vals[nv++] = edges[i] - 1;
	}
	for (size_t i = 0; i < nv; i++)
		for (size_t j = 0; j < nv; j++) {
			struct sample a, b, r;

			sample_const(&a, vals[i]);
			sample_const(&b, vals[j]);
			for (size_t c = 0; c < sizeof alu_cases / sizeof alu_cases[0]; c++) {
				const struct alu_case *ac = &alu_cases[c];
				for (int is64 = 0; is64 < 2; is64++) {
					struct nyk_insn in = { (uint8_t)(ac->op | NYK_SRC_X | (is64 ? NYK_CLASS_ALU64 : NYK_CLASS_ALU)),
							       0, ac->off, ac->imm };
					if (ac->op == NYK_ALU_MOV && ac->off == 32 && !is64)
						continue;
					if (ac->op == NYK_ALU_END && is64)
						in.opcode = (uint8_t)(NYK_ALU_END | NYK_SRC_K | NYK_CLASS_ALU64);
					if (!check_alu(&in, &a, &b))
						return;
				}
			}
			/* a two-value range [x, x+1] against the constant */
			r = a;
			if (vals[i] != UINT64_MAX) {
				struct vfy_value up;
				vv_const(&up, vals[i] + 1);
				vv_join(&r.v, &up);
				r.x[r.n++] = vals[i] + 1;
			}
			for (size_t k = 0; k < sizeof jops / sizeof jops[0]; k++)
				for (int w = 0; w < 2; w++)
					for (int t = 0; t < 2; t++)
						if (!check_branch(&a, &b, jops[k], w, t) || !check_branch(&r, &b, jops[k], w, t) ||
						    !check_branch(&b, &r, jops[k], w, t))
							return;
		}
}

/* Loop heads: widening with the value after one more step stabilises quickly. */
TEST(vfy_scalar_widening_terminates)
{
	static const uint64_t tu[] = { 0, 1, 99, 100, 101 };
	static const int64_t ts[] = { -1, 0, 1, 99, 100, 101 };
	struct vfy_thresholds th = { tu, 5, ts, 6 };
	static const struct { unsigned op; int32_t imm; uint64_t start; } steps[] = {
		{ NYK_ALU_ADD, 1, 0 }, { NYK_ALU_SUB, 1, 100 }, { NYK_ALU_ADD, 4, 0 }, { NYK_ALU_LSH, 1, 1 },
		{ NYK_ALU_MUL, 3, 1 }, { NYK_ALU_ADD, -7, 5 }, { NYK_ALU_XOR, 0x55, 0 }, { NYK_ALU_RSH, 1, 0xffff },
	};

	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
		for (int cls = 0; cls < 2; cls++)
			for (int with_t = 0; with_t < 2; with_t++) {
				struct vfy_value head, next;
				int n = 0;

				vv_const(&head, steps[s].start);
				for (;;) {
					next = head;
					do_alu_k(&next, cls ? NYK_CLASS_ALU64 : NYK_CLASS_ALU, steps[s].op, steps[s].imm);
					if (vv_leq(&next, &head))
						break;
					vv_widen(&head, &next, with_t ? &th : NULL);
					CHECK_MSG(++n < 70, "step %zu (%s) does not stabilise: %s", s, cls ? "64" : "32", P(head));
				}
			}
}

/* Bounds move to values the known bits allow, so "!= bound" can cut a stepping counter. */
TEST(vfy_scalar_bounds_follow_known_bits)
{
	struct vfy_value a, b;

	vv_urange(&a, 0, 19);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_AND, ~1);   /* even */
	CHECK_STR(P(a), "[0,18] var=0x0,0x1e");
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_ADD, 2);    /* [2,20] even */
	vv_const(&b, 20);
	CHECK(vv_branch(&a, &b, NYK_JMP_JNE, true, true));
	CHECK(a.umin == 2 && a.umax == 18);
	/* odd values: x != 15 leaves 13 as the largest */
	vv_urange(&a, 0, 10);
	do_alu_k(&a, NYK_CLASS_ALU64, NYK_ALU_OR, 1);
	CHECK(a.umin == 1 && a.umax == 15 && a.mask == 0xe);
	vv_const(&b, 15);
	CHECK(vv_branch(&a, &b, NYK_JMP_JNE, false, true));
	CHECK(a.umax == 13);
	/* signed bounds too */
	vv_srange(&a, -9, 9);
	vv_const(&b, ~3ull);
	do_alu(&a, NYK_CLASS_ALU64, NYK_ALU_AND, &b);   /* multiples of 4 */
	CHECK(a.smin == -12 && a.smax == 8);
}
