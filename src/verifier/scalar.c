/*
 * scalar.c - the verifier's value domain (vv_*).
 *
 * A value is the conjunction of five facts about a 64-bit word x: an
 * unsigned and a signed 64-bit interval, an unsigned and a signed interval
 * for its low 32 bits, and a tnum (bits known to be 0 or 1). Each fact is
 * sound on its own; vv_sync lets them tighten each other.
 *
 * Arithmetic on intervals is done with "cyclic" intervals: the values
 * s, s+1, ..., s+len taken modulo 2^64 (or 2^32). Both an unsigned interval
 * [umin,umax] and a signed one [smin,smax] are cyclic intervals of the
 * unsigned circle, addition and subtraction of cyclic intervals are exact
 * as long as the lengths do not add up to a full turn, and reading a cyclic
 * interval back as an unsigned (or, shifted by 2^63, a signed) interval is
 * a simple cut. This gives the kernel's precision (including sums that wrap
 * as a whole) without separate overflow cases for each signedness.
 *
 * Bounds also move to the nearest value the known bits allow (an even
 * counter below 20 is at most 18), which lets "x != bound" cut stepping
 * counters.
 *
 * 32-bit ALU operations are computed on 64-bit "views" of the operands (the
 * low 32 bits zero-extended, and sign-extended) and the result's low 32
 * bits are taken; an operation that only depends on its operands' low bits
 * (mul, lsh) uses both views and keeps what both say; add, sub, and, or,
 * xor compute their low-half bounds directly.
 *
 * Widening moves a grown bound to the next threshold (the program's
 * constants, then the 32-bit limits, then the 64-bit ones) and forgets the
 * known bits from the lowest one that changed upwards, so that the known
 * bits do not hold the bounds back one bit per iteration.
 */
#include <stdio.h>
#include <string.h>

#include "verifier/vfy.h"

#define U64_MAX UINT64_MAX
#define U32_MAX 0xffffffffull
#define SIGN64 0x8000000000000000ull
#define SIGN32 0x80000000ull
#define HI32 0xffffffff00000000ull

/* ---- small helpers ------------------------------------------------------------ */

static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Arithmetic right shift that does not depend on how C shifts negative numbers. */
static int64_t sar64(int64_t x, unsigned k)
{
	uint64_t ux = (uint64_t)x, sign = 0 - (ux >> 63);
	return (int64_t)(((ux ^ sign) >> k) ^ sign);
}

/* Bits needed for x: 0 for 0, 64 when bit 63 is set. */
static unsigned bit_width(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
#else
	unsigned n = 0;
	while (x) {
		n++;
		x >>= 1;
	}
	return n;
#endif
}

static uint64_t low_mask(unsigned bits)
{
	return bits >= 64 ? U64_MAX : (1ull << bits) - 1;
}

static bool host_little_endian(void)
{
	const uint16_t one = 1;
	uint8_t first;
	memcpy(&first, &one, 1);
	return first == 1;
}

/* ---- tnums: known bits ---------------------------------------------------------- */

/* Bits set in m are unknown; v holds the known bits (v & m == 0). */
struct tn {
	uint64_t v, m;
};

static struct tn tn_make(uint64_t v, uint64_t m) { return (struct tn){ v & ~m, m }; }
static struct tn tn_const(uint64_t c) { return (struct tn){ c, 0 }; }
static struct tn tn_of(const struct vfy_value *x) { return (struct tn){ x->val, x->mask }; }

static bool tn_has(struct tn t, uint64_t x) { return (x & ~t.m) == t.v; }

/* The tightest tnum containing every value in [lo, hi]: common high bits are known. */
static struct tn tn_range(uint64_t lo, uint64_t hi)
{
	unsigned bits = bit_width(lo ^ hi);
	uint64_t delta = low_mask(bits);
	return tn_make(lo, delta);
}

static struct tn tn_and(struct tn a, struct tn b)
{
	uint64_t v = a.v & b.v;
	return tn_make(v, (a.v | a.m) & (b.v | b.m) & ~v);
}

static struct tn tn_or(struct tn a, struct tn b)
{
	uint64_t v = a.v | b.v;
	return tn_make(v, (a.m | b.m) & ~v);
}

static struct tn tn_xor(struct tn a, struct tn b)
{
	return tn_make(a.v ^ b.v, a.m | b.m);
}

/*
 * Sum: the sums of the smallest and the largest members differ exactly in
 * the bits a carry may or may not reach; those and the unknown inputs are
 * unknown in the result.
 */
static struct tn tn_add(struct tn a, struct tn b)
{
	uint64_t sv = a.v + b.v, sm = a.m + b.m;
	uint64_t carries = (sv + sm) ^ sv;
	return tn_make(sv, carries | a.m | b.m);
}

/* Difference: the largest minus smallest and smallest minus largest bracket every borrow. */
static struct tn tn_sub(struct tn a, struct tn b)
{
	uint64_t dv = a.v - b.v;
	uint64_t hi = dv + a.m, lo = dv - b.m;
	return tn_make(dv, (hi ^ lo) | a.m | b.m);
}

/* Product as a sum of shifted copies of b, one per bit of a that may be set. */
static struct tn tn_mul(struct tn a, struct tn b)
{
	struct tn acc = tn_const(0);
	uint64_t bits = a.v | a.m;

	for (unsigned i = 0; i < 64 && (bits >> i); i++) {
		uint64_t bit = 1ull << i;
		struct tn term;
		if (!(bits & bit))
			continue;
		if (a.v & bit)
			term = (struct tn){ b.v << i, b.m << i };
		else
			term = tn_make(0, (b.v | b.m) << i);   /* either 0 or b << i */
		acc = tn_add(acc, term);
	}
	return acc;
}

static struct tn tn_lsh(struct tn a, unsigned k) { return (struct tn){ a.v << k, a.m << k }; }
static struct tn tn_rsh(struct tn a, unsigned k) { return (struct tn){ a.v >> k, a.m >> k }; }

static struct tn tn_arsh(struct tn a, unsigned k)
{
	return (struct tn){ (uint64_t)sar64((int64_t)a.v, k), (uint64_t)sar64((int64_t)a.m, k) };
}

/* Smallest tnum holding both. */
static struct tn tn_union(struct tn a, struct tn b)
{
	return tn_make(a.v & b.v, a.m | b.m | (a.v ^ b.v));
}

/* Values in both; false when they disagree on a bit both know. */
static bool tn_intersect(struct tn a, struct tn b, struct tn *out)
{
	if ((a.v ^ b.v) & ~a.m & ~b.m)
		return false;
	*out = tn_make(a.v | b.v, a.m & b.m);
	return true;
}

static bool tn_subset(struct tn a, struct tn b)
{
	return (a.m & ~b.m) == 0 && (a.v & ~b.m) == b.v;
}

/* Byte swap of the low `bits` bits (16, 32, 64); higher bits become 0. */
static uint64_t bswap_bits(uint64_t x, unsigned bits)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < bits / 8; i++)
		r = (r << 8) | ((x >> (8 * i)) & 0xff);
	return r;
}

/* ---- cyclic intervals ------------------------------------------------------------ */

/*
 * Cut the plain interval [*lo, *hi] down to the values it shares with the
 * cyclic interval from s up to e (passing the top of the range when s > e:
 * then it is [0, e] and [s, top]). When [lo, hi] meets both pieces nothing
 * can be cut. An empty result shows as *lo > *hi.
 */
static void clip_cyclic(uint64_t *lo, uint64_t *hi, uint64_t s, uint64_t e)
{
	if (s <= e) {
		*lo = umax64(*lo, s);
		*hi = umin64(*hi, e);
	} else if (*hi < s) {
		*hi = umin64(*hi, e);
	} else if (*lo > e) {
		*lo = umax64(*lo, s);
	}
}

/* A cyclic interval of the 64-bit circle: s, s+1, ..., s+len (len = U64_MAX: all). */
struct cyc {
	uint64_t s, len;
};

static const struct cyc cyc_all = { 0, U64_MAX };

static struct cyc cyc_add(struct cyc a, struct cyc b)
{
	uint64_t len = a.len + b.len;
	if (len < a.len)
		return cyc_all;
	return (struct cyc){ a.s + b.s, len };
}

static struct cyc cyc_sub(struct cyc a, struct cyc b)
{
	uint64_t len = a.len + b.len;
	if (len < a.len)
		return cyc_all;
	return (struct cyc){ a.s - (b.s + b.len), len };
}

/* c times every member: exact while len * |c| stays below a full turn. */
static struct cyc cyc_mul_const(struct cyc a, uint64_t c)
{
	bool neg = (int64_t)c < 0;
	uint64_t m = neg ? 0 - c : c;
	struct cyc r;

	if (m != 0 && a.len > U64_MAX / m)
		return cyc_all;
	r = (struct cyc){ a.s * m, a.len * m };
	if (neg)   /* x * c = -(x * m): the negated interval runs from -(end) up to -(start) */
		r.s = 0 - (r.s + r.len);
	return r;
}

static struct cyc cyc_lsh(struct cyc a, unsigned k)
{
	if (a.len > (U64_MAX >> k))
		return cyc_all;
	return (struct cyc){ a.s << k, a.len << k };
}

static struct cyc cyc_u(const struct vfy_value *x) { return (struct cyc){ x->umin, x->umax - x->umin }; }

static struct cyc cyc_s(const struct vfy_value *x)
{
	return (struct cyc){ (uint64_t)x->smin, (uint64_t)x->smax - (uint64_t)x->smin };
}

/* ---- the value's parts ------------------------------------------------------------ */

static void set_unknown(struct vfy_value *v)
{
	v->umin = 0;
	v->umax = U64_MAX;
	v->smin = INT64_MIN;
	v->smax = INT64_MAX;
	v->u32min = 0;
	v->u32max = UINT32_MAX;
	v->s32min = INT32_MIN;
	v->s32max = INT32_MAX;
	v->val = 0;
	v->mask = U64_MAX;
}

/* Apply "x is in the cyclic interval c" to the 64-bit bounds. */
static void clip64(struct vfy_value *v, struct cyc c)
{
	uint64_t e = c.s + c.len, lo, hi;

	if (c.len == U64_MAX)
		return;
	clip_cyclic(&v->umin, &v->umax, c.s, e);
	lo = (uint64_t)v->smin ^ SIGN64;
	hi = (uint64_t)v->smax ^ SIGN64;
	clip_cyclic(&lo, &hi, c.s ^ SIGN64, e ^ SIGN64);
	v->smin = (int64_t)(lo ^ SIGN64);
	v->smax = (int64_t)(hi ^ SIGN64);
}

/* Apply "the low 32 bits are in the cyclic 32-bit interval from s to e". */
static void clip32(struct vfy_value *v, uint32_t s, uint32_t e)
{
	uint64_t lo = v->u32min, hi = v->u32max;

	clip_cyclic(&lo, &hi, s, e);
	v->u32min = (uint32_t)lo;
	v->u32max = (uint32_t)hi;
	if (lo > hi) {   /* keep "empty" visible after the narrowing casts */
		v->u32min = 1;
		v->u32max = 0;
	}
	lo = (uint32_t)v->s32min ^ SIGN32;
	hi = (uint32_t)v->s32max ^ SIGN32;
	clip_cyclic(&lo, &hi, s ^ (uint32_t)SIGN32, e ^ (uint32_t)SIGN32);
	if (lo > hi) {
		v->s32min = 1;
		v->s32max = 0;
	} else {
		v->s32min = (int32_t)(uint32_t)(lo ^ SIGN32);
		v->s32max = (int32_t)(uint32_t)(hi ^ SIGN32);
	}
}

/* Project a cyclic 64-bit interval onto the low 32 bits (when it spans less than 2^32). */
static void clip32_from64(struct vfy_value *v, uint64_t s, uint64_t e)
{
	if (e - s <= U32_MAX)
		clip32(v, (uint32_t)s, (uint32_t)e);
}

static bool in_cyc32(uint32_t x, uint32_t s, uint32_t e)
{
	return s <= e ? (x >= s && x <= e) : (x >= s || x <= e);
}

/* Smallest x >= l whose low 32 bits are in the cyclic interval [s, e]; false if none. */
static bool up_to_low32(uint64_t *l, uint32_t s, uint32_t e)
{
	uint32_t lo = (uint32_t)*l;
	uint64_t hi = *l & HI32;

	if (in_cyc32(lo, s, e))
		return true;
	if (s > e || lo < s) {   /* s is further up in the same 2^32 block */
		*l = hi | s;
		return true;
	}
	if (hi == HI32)
		return false;
	*l = (hi + (1ull << 32)) | s;
	return true;
}

/* Largest x <= u whose low 32 bits are in [s, e] (cyclic); false if none. */
static bool down_to_low32(uint64_t *u, uint32_t s, uint32_t e)
{
	uint32_t lo = (uint32_t)*u;
	uint64_t hi = *u & HI32;

	if (in_cyc32(lo, s, e))
		return true;
	if (s > e || lo > e) {
		*u = hi | e;
		return true;
	}
	if (hi == 0)
		return false;
	*u = (hi - (1ull << 32)) | e;
	return true;
}

/*
 * The smallest x >= l the tnum allows; false if there is none. Where l
 * first disagrees with a known bit (the highest such bit h): if that bit
 * must be 1, set it and take the smallest choice below; if it must be 0,
 * the part above h has to grow: set its lowest unknown 0 bit.
 */
static bool tn_next(struct tn t, uint64_t l, uint64_t *out)
{
	uint64_t diff = (l ^ t.v) & ~t.m, hbit, below, grow, p;

	if (!diff) {
		*out = l;
		return true;
	}
	hbit = 1ull << (bit_width(diff) - 1);
	below = hbit - 1;
	if (t.v & hbit) {
		*out = (l & ~(below | hbit)) | hbit | (t.v & below);
		return true;
	}
	grow = t.m & ~l & ~(below | hbit);
	if (!grow)
		return false;
	p = grow & (0 - grow);
	*out = (l & ~((p - 1) | p)) | p | (t.v & (p - 1));
	return true;
}

/* The largest x <= u the tnum allows: the smallest >= ~u of the complemented tnum, complemented. */
static bool tn_prev(struct tn t, uint64_t u, uint64_t *out)
{
	uint64_t y;

	if (!tn_next(tn_make(~t.v, t.m), ~u, &y))
		return false;
	*out = ~y;
	return true;
}

/* Move [*lo, *hi] inwards to values the tnum allows; false when none is left. */
static bool tn_clamp(struct tn t, uint64_t *lo, uint64_t *hi)
{
	return tn_next(t, *lo, lo) && tn_prev(t, *hi, hi) && *lo <= *hi;
}

static bool bounds_ok(const struct vfy_value *v)
{
	return v->umin <= v->umax && v->smin <= v->smax && v->u32min <= v->u32max &&
	       v->s32min <= v->s32max;
}

/* One round of tightening every part from the others; false when empty. */
static bool tighten(struct vfy_value *v)
{
	struct tn t = tn_of(v), r;
	uint64_t lo, hi, blo, bhi;

	/* known bits -> bounds: each bound moves to the nearest value the known bits allow */
	if (!tn_clamp(t, &v->umin, &v->umax))
		return false;
	lo = (uint64_t)v->smin ^ SIGN64;
	hi = (uint64_t)v->smax ^ SIGN64;
	if (!tn_clamp(tn_make(t.v ^ (SIGN64 & ~t.m), t.m), &lo, &hi))
		return false;
	v->smin = (int64_t)(lo ^ SIGN64);
	v->smax = (int64_t)(hi ^ SIGN64);
	lo = v->u32min;
	hi = v->u32max;
	if (!tn_clamp(tn_make(t.v & U32_MAX, t.m & U32_MAX), &lo, &hi))
		return false;
	v->u32min = (uint32_t)lo;
	v->u32max = (uint32_t)hi;
	lo = (uint32_t)v->s32min ^ SIGN32;
	hi = (uint32_t)v->s32max ^ SIGN32;
	if (!tn_clamp(tn_make((t.v ^ (SIGN32 & ~t.m)) & U32_MAX, t.m & U32_MAX), &lo, &hi))
		return false;
	v->s32min = (int32_t)(uint32_t)(lo ^ SIGN32);
	v->s32max = (int32_t)(uint32_t)(hi ^ SIGN32);
	if (!bounds_ok(v))
		return false;

	/* signed <-> unsigned, 64 bits: each is a cyclic interval of the other's circle */
	clip64(v, cyc_u(v));
	clip64(v, cyc_s(v));
	if (!bounds_ok(v))
		return false;

	/* 64 -> 32: an interval shorter than 2^32 has its low bits in a cyclic interval */
	clip32_from64(v, v->umin, v->umax);
	clip32_from64(v, (uint64_t)v->smin, (uint64_t)v->smax);
	clip32(v, v->u32min, v->u32max);
	clip32(v, (uint32_t)v->s32min, (uint32_t)v->s32max);
	if (!bounds_ok(v))
		return false;

	/* 32 -> 64: move each 64-bit bound to the nearest value with suitable low bits */
	lo = v->umin;
	hi = v->umax;
	blo = (uint64_t)v->smin ^ SIGN64;
	bhi = (uint64_t)v->smax ^ SIGN64;
	if (!up_to_low32(&lo, v->u32min, v->u32max) || !up_to_low32(&lo, (uint32_t)v->s32min, (uint32_t)v->s32max) ||
	    !down_to_low32(&hi, v->u32min, v->u32max) || !down_to_low32(&hi, (uint32_t)v->s32min, (uint32_t)v->s32max) ||
	    !up_to_low32(&blo, v->u32min, v->u32max) || !up_to_low32(&blo, (uint32_t)v->s32min, (uint32_t)v->s32max) ||
	    !down_to_low32(&bhi, v->u32min, v->u32max) || !down_to_low32(&bhi, (uint32_t)v->s32min, (uint32_t)v->s32max))
		return false;
	v->umin = lo;
	v->umax = hi;
	v->smin = (int64_t)(blo ^ SIGN64);
	v->smax = (int64_t)(bhi ^ SIGN64);
	if (!bounds_ok(v))
		return false;

	/* bounds -> known bits */
	if (!tn_intersect(t, tn_range(v->umin, v->umax), &r))
		return false;
	if (!tn_intersect(r, tn_make(tn_range(v->u32min, v->u32max).v, tn_range(v->u32min, v->u32max).m | HI32), &t))
		return false;
	v->val = t.v;
	v->mask = t.m;
	return true;
}

bool vv_sync(struct vfy_value *v)
{
	for (int round = 0; round < 8; round++) {
		struct vfy_value before = *v;
		if (!tighten(v))
			return false;
		if (vv_eq(&before, v))
			break;
	}
	return true;
}

/* sync for results that cannot be empty unless an input was: fall back to "anything". */
static void settle(struct vfy_value *v)
{
	if (!vv_sync(v))
		set_unknown(v);
}

/* ---- constructors ----------------------------------------------------------------- */

void vv_const(struct vfy_value *v, uint64_t c)
{
	v->umin = v->umax = c;
	v->smin = v->smax = (int64_t)c;
	v->u32min = v->u32max = (uint32_t)c;
	v->s32min = v->s32max = (int32_t)(uint32_t)c;
	v->val = c;
	v->mask = 0;
}

void vv_unknown(struct vfy_value *v)
{
	set_unknown(v);
}

void vv_urange(struct vfy_value *v, uint64_t lo, uint64_t hi)
{
	set_unknown(v);
	if (lo > hi)
		return;
	v->umin = lo;
	v->umax = hi;
	settle(v);
}

void vv_srange(struct vfy_value *v, int64_t lo, int64_t hi)
{
	set_unknown(v);
	if (lo > hi)
		return;
	v->smin = lo;
	v->smax = hi;
	settle(v);
}

void vv_unknown_size(struct vfy_value *v, unsigned size, bool sign)
{
	unsigned bits = size * 8;

	if (size == 0 || size >= 8) {
		set_unknown(v);
		return;
	}
	if (sign)
		vv_srange(v, -(int64_t)(1ull << (bits - 1)), (int64_t)((1ull << (bits - 1)) - 1));
	else
		vv_urange(v, 0, low_mask(bits));
}

bool vv_is_const(const struct vfy_value *v)
{
	return v->mask == 0;
}

/* ---- views and truncation ------------------------------------------------------------ */

/*
 * Collect what the value says about its low `bits` bits (bits < 64) as
 * cyclic intervals of the 2^bits circle: from each 64-bit bound pair and
 * each 32-bit one, when it spans less than a full turn of that circle.
 */
struct low_cycs {
	uint64_t s[4], e[4];
	int n;
};

static void add_low_cyc(struct low_cycs *c, uint64_t s, uint64_t e, uint64_t circle_mask, unsigned bits)
{
	uint64_t m = low_mask(bits);
	if (((e - s) & circle_mask) <= m) {
		c->s[c->n] = s & m;
		c->e[c->n] = e & m;
		c->n++;
	}
}

static void low_cycs_of(const struct vfy_value *v, unsigned bits, struct low_cycs *c)
{
	c->n = 0;
	add_low_cyc(c, v->umin, v->umax, U64_MAX, bits);
	add_low_cyc(c, (uint64_t)v->smin, (uint64_t)v->smax, U64_MAX, bits);
	if (bits <= 32) {
		add_low_cyc(c, v->u32min, v->u32max, U32_MAX, bits);
		add_low_cyc(c, (uint32_t)v->s32min, (uint32_t)v->s32max, U32_MAX, bits);
	}
}

/* r := the low `bits` bits of x, zero-extended. */
static void zext_bits(struct vfy_value *r, const struct vfy_value *x, unsigned bits)
{
	struct vfy_value in = *x;
	struct low_cycs c;
	uint64_t m = low_mask(bits), lo = 0, hi = m;

	if (bits >= 64) {
		*r = in;
		return;
	}
	low_cycs_of(&in, bits, &c);
	for (int i = 0; i < c.n; i++)
		clip_cyclic(&lo, &hi, c.s[i], c.e[i]);
	set_unknown(r);
	if (lo <= hi) {
		r->umin = lo;
		r->umax = hi;
	} else {
		r->umax = m;
	}
	r->val = in.val & m;
	r->mask = in.mask & m;
	settle(r);
}

/* r := the low `bits` bits of x, sign-extended. */
static void sext_bits(struct vfy_value *r, const struct vfy_value *x, unsigned bits)
{
	struct vfy_value in = *x;
	struct low_cycs c;
	uint64_t m = low_mask(bits), half = 1ull << (bits - 1), lo = 0, hi = m, upper = ~m;

	if (bits >= 64) {
		*r = in;
		return;
	}
	low_cycs_of(&in, bits, &c);
	for (int i = 0; i < c.n; i++)
		clip_cyclic(&lo, &hi, c.s[i] ^ half, c.e[i] ^ half);
	set_unknown(r);
	if (lo <= hi) {
		r->smin = (int64_t)lo - (int64_t)half;
		r->smax = (int64_t)hi - (int64_t)half;
	}
	if (in.mask & half)
		r->mask = (in.mask & m) | upper;
	else
		r->mask = in.mask & m;
	r->val = (in.val & m) | ((in.val & half) ? upper : 0);
	r->val &= ~r->mask;
	settle(r);
}

/* ---- 64-bit operations ---------------------------------------------------------------- */

/*
 * The low 32 bits of a + b (or a - b) from the operands' 32-bit bounds,
 * with the same cyclic reasoning on the 2^32 circle.
 */
static void clip32_sum(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b, bool sub)
{
	uint64_t as[2] = { a->u32min, (uint32_t)a->s32min }, al[2], bs[2] = { b->u32min, (uint32_t)b->s32min }, bl[2];

	al[0] = a->u32max - a->u32min;
	al[1] = (uint32_t)((uint32_t)a->s32max - (uint32_t)a->s32min);
	bl[0] = b->u32max - b->u32min;
	bl[1] = (uint32_t)((uint32_t)b->s32max - (uint32_t)b->s32min);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			uint64_t len = al[i] + bl[j], start;
			if (len > U32_MAX)
				continue;
			start = sub ? as[i] - (bs[j] + bl[j]) : as[i] + bs[j];
			clip32(r, (uint32_t)start, (uint32_t)(start + len));
		}
}

static void op_add(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct cyc ca[2] = { cyc_u(a), cyc_s(a) }, cb[2] = { cyc_u(b), cyc_s(b) };
	struct tn t = tn_add(tn_of(a), tn_of(b));

	set_unknown(r);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			clip64(r, cyc_add(ca[i], cb[j]));
	clip32_sum(r, a, b, false);
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

static void op_sub(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct cyc ca[2] = { cyc_u(a), cyc_s(a) }, cb[2] = { cyc_u(b), cyc_s(b) };
	struct tn t = tn_sub(tn_of(a), tn_of(b));

	set_unknown(r);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			clip64(r, cyc_sub(ca[i], cb[j]));
	clip32_sum(r, a, b, true);
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

/* a * b as exact integers when it fits in int64. */
static bool smul_fits(int64_t a, int64_t b, int64_t *out)
{
	uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
	uint64_t p;
	bool neg = (a < 0) != (b < 0);

	if (ua != 0 && ub > U64_MAX / ua)
		return false;
	p = ua * ub;
	if (neg ? p > SIGN64 : p > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - p) : (int64_t)p;
	return true;
}

static void op_mul(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct tn t = tn_mul(tn_of(a), tn_of(b));
	int64_t corners[4];
	bool fits = true;

	set_unknown(r);
	if (a->umax == 0 || b->umax == 0 || b->umax <= U64_MAX / a->umax) {
		r->umin = a->umin * b->umin;
		r->umax = a->umax * b->umax;
	}
	fits = smul_fits(a->smin, b->smin, &corners[0]) && smul_fits(a->smin, b->smax, &corners[1]) &&
	       smul_fits(a->smax, b->smin, &corners[2]) && smul_fits(a->smax, b->smax, &corners[3]);
	if (fits) {
		r->smin = r->smax = corners[0];
		for (int i = 1; i < 4; i++) {
			r->smin = smin64(r->smin, corners[i]);
			r->smax = smax64(r->smax, corners[i]);
		}
	}
	/* by a constant: wrapping products of an interval stay an interval while short */
	if (vv_is_const(b)) {
		clip64(r, cyc_mul_const(cyc_u(a), b->val));
		clip64(r, cyc_mul_const(cyc_s(a), b->val));
	} else if (vv_is_const(a)) {
		clip64(r, cyc_mul_const(cyc_u(b), a->val));
		clip64(r, cyc_mul_const(cyc_s(b), a->val));
	}
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

/* x & y for a negative y: at most x, and at least x - ~y (~y >= 0 holds the bits cleared). */
static void and_neg_bound(struct vfy_value *r, const struct vfy_value *x, const struct vfy_value *y)
{
	if (y->smax < 0) {
		int64_t cleared = ~y->smin;   /* the most y can clear */
		r->smax = smin64(r->smax, x->smax);
		if (x->smin >= INT64_MIN + cleared)
			r->smin = smax64(r->smin, x->smin - cleared);
	}
	if (y->s32max < 0) {
		int64_t c32 = ~(int64_t)y->s32min;
		if (r->s32max > x->s32max)
			r->s32max = x->s32max;
		if ((int64_t)x->s32min - c32 >= INT32_MIN && r->s32min < (int32_t)((int64_t)x->s32min - c32))
			r->s32min = (int32_t)((int64_t)x->s32min - c32);
	}
}

static void op_and(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct tn t = tn_and(tn_of(a), tn_of(b));

	set_unknown(r);
	r->umax = umin64(a->umax, b->umax);   /* x & y <= x and <= y */
	if (a->smin >= 0)
		r->smin = 0, r->smax = a->smax;
	if (b->smin >= 0)
		r->smin = 0, r->smax = smin64(r->smax, b->smax);
	/* with y negative, x & y = x - (x & ~y) lies in [x - ~y, x] */
	and_neg_bound(r, a, b);
	and_neg_bound(r, b, a);
	/* the same for the low halves */
	r->u32max = a->u32max < b->u32max ? a->u32max : b->u32max;
	if (a->s32min >= 0)
		r->s32min = 0, r->s32max = a->s32max;
	if (b->s32min >= 0)
		r->s32min = 0, r->s32max = r->s32max < b->s32max ? r->s32max : b->s32max;
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

static void op_or(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct tn t = tn_or(tn_of(a), tn_of(b));

	set_unknown(r);
	r->umin = umax64(a->umin, b->umin);   /* x | y >= x and >= y */
	if (a->smax < 0 && b->smax < 0) {      /* both negative: the unsigned order is the signed one */
		r->smin = smax64(a->smin, b->smin);
		r->smax = -1;
	} else if (a->smin >= 0 && b->smin >= 0) {
		r->smin = smax64(a->smin, b->smin);
	}
	r->u32min = a->u32min > b->u32min ? a->u32min : b->u32min;
	if (a->s32max < 0 && b->s32max < 0) {
		r->s32min = a->s32min > b->s32min ? a->s32min : b->s32min;
		r->s32max = -1;
	} else if (a->s32min >= 0 && b->s32min >= 0) {
		r->s32min = a->s32min > b->s32min ? a->s32min : b->s32min;
	}
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

static void op_xor(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	struct tn t = tn_xor(tn_of(a), tn_of(b));

	set_unknown(r);
	r->val = t.v;
	r->mask = t.m;
	settle(r);
}

static void op_udiv(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	set_unknown(r);
	if (b->umax == 0) {
		vv_const(r, 0);
		return;
	}
	r->umin = b->umin == 0 ? 0 : a->umin / b->umax;
	r->umax = a->umax / umax64(b->umin, 1);
	settle(r);
}

static void op_umod(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	if (b->umax == 0 || (b->umin > 0 && a->umax < b->umin)) {   /* x % 0 = x; x % y = x for x < y */
		*r = *a;
		return;
	}
	set_unknown(r);
	r->umax = b->umin == 0 ? a->umax : umin64(a->umax, b->umax - 1);
	settle(r);
}

/* Signed division, truncating; x / 0 = 0, INT64_MIN / -1 = INT64_MIN. */
static int64_t sdiv64(int64_t x, int64_t y)
{
	if (y == 0)
		return 0;
	if (y == -1)
		return (int64_t)(0 - (uint64_t)x);
	return x / y;
}

static void op_sdiv(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	int64_t ys[2][2];
	int nboxes = 0;

	set_unknown(r);
	if (b->smin <= 0 && b->smax >= 0 && b->umin == 0) {   /* y may be 0: the result 0 */
		lo = 0;
		hi = 0;
	}
	if (b->smax >= 1) {
		ys[nboxes][0] = smax64(b->smin, 1);
		ys[nboxes][1] = b->smax;
		nboxes++;
	}
	if (b->smin <= -1) {
		/* INT64_MIN / -1 wraps: the quotient is not monotone there */
		if (a->smin == INT64_MIN && b->smax >= -1) {
			settle(r);
			return;
		}
		ys[nboxes][0] = b->smin;
		ys[nboxes][1] = smin64(b->smax, -1);
		nboxes++;
	}
	/* For divisors of one sign the quotient is monotone in each operand: corners bound it. */
	for (int i = 0; i < nboxes; i++) {
		int64_t xs[2] = { a->smin, a->smax };
		for (int xi = 0; xi < 2; xi++)
			for (int yi = 0; yi < 2; yi++) {
				int64_t q = sdiv64(xs[xi], ys[i][yi]);
				lo = smin64(lo, q);
				hi = smax64(hi, q);
			}
	}
	if (lo <= hi) {
		r->smin = lo;
		r->smax = hi;
	}
	settle(r);
}

static uint64_t abs64(int64_t x)
{
	return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

/* Signed remainder: the dividend's sign, smaller in size than the divisor; x % 0 = x. */
static void op_smod(struct vfy_value *r, const struct vfy_value *a, const struct vfy_value *b)
{
	bool may_zero = b->smin <= 0 && b->smax >= 0 && b->umin == 0;
	uint64_t big, small, bound;
	int64_t lo, hi;

	if (b->smin == 0 && b->smax == 0) {
		*r = *a;
		return;
	}
	big = umax64(abs64(b->smin), abs64(b->smax));
	small = (b->smin <= 0 && b->smax >= 0) ? 1 : umin64(abs64(b->smin), abs64(b->smax));
	if (!may_zero && abs64(a->smin) < small && abs64(a->smax) < small &&
	    a->smin != INT64_MIN) {   /* |x| < |y|: x % y = x */
		*r = *a;
		return;
	}
	bound = big - 1;   /* <= INT64_MAX */
	lo = a->smin >= 0 ? 0 : smax64(a->smin, -(int64_t)bound);
	hi = a->smax <= 0 ? 0 : smin64(a->smax, (int64_t)bound);
	if (may_zero) {
		lo = smin64(lo, a->smin);
		hi = smax64(hi, a->smax);
	}
	set_unknown(r);
	r->smin = lo;
	r->smax = hi;
	settle(r);
}

/* x shifted by the constant k (0..63). */
static void shift_const(struct vfy_value *r, const struct vfy_value *a, unsigned op, unsigned k)
{
	struct tn t;

	set_unknown(r);
	switch (op) {
	case NYK_ALU_LSH:
		t = tn_lsh(tn_of(a), k);
		clip64(r, cyc_lsh(cyc_u(a), k));
		clip64(r, cyc_lsh(cyc_s(a), k));
		break;
	case NYK_ALU_RSH:
		t = tn_rsh(tn_of(a), k);
		r->umin = a->umin >> k;
		r->umax = a->umax >> k;
		/* from the signed bounds: one interval per sign, [0, smax>>k] and [smin>>k, max>>k]
		   when both, which is the cyclic interval from smin>>k up to smax>>k */
		clip_cyclic(&r->umin, &r->umax, (uint64_t)a->smin >> k, (uint64_t)a->smax >> k);
		break;
	default: /* NYK_ALU_ARSH */
		t = tn_arsh(tn_of(a), k);
		r->smin = sar64(a->smin, k);
		r->smax = sar64(a->smax, k);
		if ((int64_t)a->umin <= (int64_t)a->umax) {
			uint64_t lo = (uint64_t)r->smin ^ SIGN64, hi = (uint64_t)r->smax ^ SIGN64;
			clip_cyclic(&lo, &hi, (uint64_t)sar64((int64_t)a->umin, k) ^ SIGN64,
				    (uint64_t)sar64((int64_t)a->umax, k) ^ SIGN64);
			r->smin = (int64_t)(lo ^ SIGN64);
			r->smax = (int64_t)(hi ^ SIGN64);
		}
		break;
	}
	r->val = t.v & ~t.m;
	r->mask = t.m;
	settle(r);
}

/* Shift by every amount the (already masked) source may hold, joined. */
static void op_shift(struct vfy_value *r, const struct vfy_value *a, unsigned op, const struct vfy_value *amount)
{
	struct tn ta = tn_of(amount);
	bool first = true;

	for (uint64_t k = amount->umin; k <= amount->umax && k < 64; k++) {
		struct vfy_value one;
		if (!tn_has(ta, k))
			continue;
		shift_const(&one, a, op, (unsigned)k);
		if (first)
			*r = one;
		else
			vv_join(r, &one);
		first = false;
	}
	if (first)
		set_unknown(r);
}

/* The operation on two known numbers. */
static uint64_t eval64(unsigned op, bool sgn, uint64_t x, uint64_t y)
{
	switch (op) {
	case NYK_ALU_ADD: return x + y;
	case NYK_ALU_SUB: return x - y;
	case NYK_ALU_MUL: return x * y;
	case NYK_ALU_AND: return x & y;
	case NYK_ALU_OR: return x | y;
	case NYK_ALU_XOR: return x ^ y;
	case NYK_ALU_LSH: return x << (y & 63);
	case NYK_ALU_RSH: return x >> (y & 63);
	case NYK_ALU_ARSH: return (uint64_t)sar64((int64_t)x, (unsigned)(y & 63));
	case NYK_ALU_DIV:
		if (sgn)
			return (uint64_t)sdiv64((int64_t)x, (int64_t)y);
		return y ? x / y : 0;
	case NYK_ALU_MOD:
		if (y == 0)
			return x;
		if (sgn)   /* the remainder of -1 is 0 (and INT64_MIN % -1 must not trap) */
			return (int64_t)y == -1 ? 0 : (uint64_t)((int64_t)x % (int64_t)y);
		return x % y;
	default: return 0;
	}
}

/*
 * The 64-bit result of `op` (an ALU operation code; `sgn` picks sdiv/smod)
 * on 64-bit operands, without the extra 32-bit reasoning of alu64().
 */
static void op64(struct vfy_value *r, unsigned op, bool sgn, const struct vfy_value *a, const struct vfy_value *b)
{
	struct vfy_value amount, mask63;

	if (vv_is_const(a) && vv_is_const(b)) {
		vv_const(r, eval64(op, sgn, a->val, b->val));
		return;
	}
	switch (op) {
	case NYK_ALU_ADD: op_add(r, a, b); break;
	case NYK_ALU_SUB: op_sub(r, a, b); break;
	case NYK_ALU_MUL: op_mul(r, a, b); break;
	case NYK_ALU_AND: op_and(r, a, b); break;
	case NYK_ALU_OR: op_or(r, a, b); break;
	case NYK_ALU_XOR: op_xor(r, a, b); break;
	case NYK_ALU_DIV:
		if (sgn)
			op_sdiv(r, a, b);
		else
			op_udiv(r, a, b);
		break;
	case NYK_ALU_MOD:
		if (sgn)
			op_smod(r, a, b);
		else
			op_umod(r, a, b);
		break;
	case NYK_ALU_LSH:
	case NYK_ALU_RSH:
	case NYK_ALU_ARSH:
		if (vv_is_const(b)) {
			shift_const(r, a, op, (unsigned)(b->val & 63));
			break;
		}
		vv_const(&mask63, 63);
		op_and(&amount, b, &mask63);
		op_shift(r, a, op, &amount);
		break;
	default:
		set_unknown(r);
		break;
	}
}

/* The low 32 bits zero-extended / sign-extended: 64-bit stand-ins for a 32-bit operand. */
static void zext_view(struct vfy_value *r, const struct vfy_value *x) { zext_bits(r, x, 32); }
static void sext_view(struct vfy_value *r, const struct vfy_value *x) { sext_bits(r, x, 32); }

/* r := the values both r and o hold; false (r unchanged) when there are none. */
static bool meet(struct vfy_value *r, const struct vfy_value *o)
{
	struct vfy_value m = *r;
	struct tn t;

	m.umin = umax64(m.umin, o->umin);
	m.umax = umin64(m.umax, o->umax);
	m.smin = smax64(m.smin, o->smin);
	m.smax = smin64(m.smax, o->smax);
	m.u32min = m.u32min > o->u32min ? m.u32min : o->u32min;
	m.u32max = m.u32max < o->u32max ? m.u32max : o->u32max;
	m.s32min = m.s32min > o->s32min ? m.s32min : o->s32min;
	m.s32max = m.s32max < o->s32max ? m.s32max : o->s32max;
	if (!tn_intersect(tn_of(r), tn_of(o), &t))
		return false;
	m.val = t.v;
	m.mask = t.m;
	if (!bounds_ok(&m) || !vv_sync(&m))
		return false;
	*r = m;
	return true;
}

/* Keep in r what o adds (both describe the same concrete values, so the meet is never empty). */
static void meet_into(struct vfy_value *r, const struct vfy_value *o)
{
	(void)meet(r, o);
}

/* dst (32-bit op) src: zero-extended result. */
static void alu32(struct vfy_value *r, unsigned op, bool sgn, const struct vfy_value *a, const struct vfy_value *b)
{
	struct vfy_value za, zb, sa, sb, bm, res, other, mask31;
	bool use_z = true, use_s = true;   /* which views of the operands give the low half */

	switch (op) {
	case NYK_ALU_ADD:
	case NYK_ALU_SUB:
	case NYK_ALU_AND:
	case NYK_ALU_OR:
	case NYK_ALU_XOR:
		/* these work out the low half's bounds themselves */
		op64(&res, op, sgn, a, b);
		zext_bits(r, &res, 32);
		return;
	case NYK_ALU_RSH:
		use_s = false;   /* a logical shift of the low half: the zero-extended view */
		break;
	case NYK_ALU_ARSH:
		use_z = false;   /* the sign-extended view */
		break;
	case NYK_ALU_DIV:
	case NYK_ALU_MOD:
		use_z = !sgn;
		use_s = sgn;
		break;
	default:   /* mul, lsh: the low half depends on the operands' low halves only: both views work */
		break;
	}
	if (op == NYK_ALU_LSH || op == NYK_ALU_RSH || op == NYK_ALU_ARSH) {
		vv_const(&mask31, 31);
		if (vv_is_const(b))
			vv_const(&bm, b->val & 31);
		else
			op_and(&bm, b, &mask31);
		b = &bm;
	}
	if (use_z) {
		zext_view(&za, a);
		zext_view(&zb, b);
		op64(&res, op, sgn, &za, &zb);
		zext_bits(r, &res, 32);
	}
	if (use_s) {
		sext_view(&sa, a);
		sext_view(&sb, b);
		op64(&res, op, sgn, &sa, &sb);
		zext_bits(use_z ? &other : r, &res, 32);
		if (use_z)
			meet_into(r, &other);
	}
}

/* dst (64-bit op) src. */
static void alu64(struct vfy_value *r, unsigned op, bool sgn, const struct vfy_value *a, const struct vfy_value *b)
{
	struct vfy_value low;

	op64(r, op, sgn, a, b);
	switch (op) {
	case NYK_ALU_MUL:
		/* The low half is the 32-bit operation's result: let its bounds in. */
		alu32(&low, op, sgn, a, b);
		low.umin = 0;
		low.umax = U64_MAX;
		low.smin = INT64_MIN;
		low.smax = INT64_MAX;
		low.mask |= HI32;
		low.val &= ~HI32;
		meet_into(r, &low);
		break;
	default:
		break;
	}
}

/* Byte order operations: to little/big endian (class ALU) or unconditional swap (ALU64). */
static void alu_end(struct vfy_value *r, const struct vfy_value *a, bool is64, bool to_be, int32_t imm)
{
	unsigned bits = (unsigned)imm;
	bool swap;

	if (bits != 16 && bits != 32 && bits != 64) {
		set_unknown(r);
		return;
	}
	swap = is64 ? true : (to_be == host_little_endian());
	if (!swap) {
		zext_bits(r, a, bits);
		return;
	}
	set_unknown(r);
	r->mask = bswap_bits(a->mask, bits);
	r->val = bswap_bits(a->val, bits) & ~r->mask;
	if (bits < 64) {
		r->umax = low_mask(bits);
	}
	settle(r);
}

/* A binary operation on known numbers: 64-bit, or on the low halves with the result zero-extended. */
static uint64_t binop_concrete(unsigned op, bool sgn, bool is64, uint64_t d, uint64_t s)
{
	bool sext;

	if (is64)
		return eval64(op, sgn, d, s);
	if (op == NYK_ALU_LSH || op == NYK_ALU_RSH || op == NYK_ALU_ARSH)
		s &= 31;
	sext = op == NYK_ALU_ARSH || (sgn && (op == NYK_ALU_DIV || op == NYK_ALU_MOD));
	if (sext) {
		d = (uint64_t)(int64_t)(int32_t)(uint32_t)d;
		s = (uint64_t)(int64_t)(int32_t)(uint32_t)s;
	} else {
		d = (uint32_t)d;
		s = (uint32_t)s;
	}
	return (uint32_t)eval64(op, sgn, d, s);
}

void vv_alu(struct vfy_value *dst, const struct nyk_insn *insn, const struct vfy_value *src)
{
	unsigned cls = insn->opcode & 0x07, op = insn->opcode & 0xf0;
	bool is64 = cls == NYK_CLASS_ALU64;
	struct vfy_value a = *dst, b = *src, zero, t;
	bool sgn = false;

	if (cls != NYK_CLASS_ALU && cls != NYK_CLASS_ALU64) {
		set_unknown(dst);
		return;
	}
	switch (op) {
	case NYK_ALU_MOV:
		if (insn->off == 0) {
			if (is64)
				*dst = b;
			else
				zext_bits(dst, &b, 32);
		} else if (insn->off == 8 || insn->off == 16 || (insn->off == 32 && is64)) {
			sext_bits(&t, &b, (unsigned)insn->off);
			if (is64)
				*dst = t;
			else
				zext_bits(dst, &t, 32);
		} else {
			vv_unknown_size(dst, is64 ? 8 : 4, false);
		}
		return;
	case NYK_ALU_END:
		alu_end(dst, &a, is64, (insn->opcode & NYK_SRC_X) != 0, insn->imm);
		return;
	case NYK_ALU_NEG:
		vv_const(&zero, 0);
		if (vv_is_const(&a))
			vv_const(dst, binop_concrete(NYK_ALU_SUB, false, is64, 0, a.val));
		else if (is64)
			alu64(dst, NYK_ALU_SUB, false, &zero, &a);
		else
			alu32(dst, NYK_ALU_SUB, false, &zero, &a);
		return;
	case NYK_ALU_DIV:
	case NYK_ALU_MOD:
		if (insn->off != 0 && insn->off != 1) {
			vv_unknown_size(dst, is64 ? 8 : 4, false);
			return;
		}
		sgn = insn->off == 1;
		break;
	case NYK_ALU_ADD: case NYK_ALU_SUB: case NYK_ALU_MUL: case NYK_ALU_OR: case NYK_ALU_AND:
	case NYK_ALU_LSH: case NYK_ALU_RSH: case NYK_ALU_XOR: case NYK_ALU_ARSH:
		break;
	default:
		vv_unknown_size(dst, is64 ? 8 : 4, false);
		return;
	}
	if (vv_is_const(&a) && vv_is_const(&b)) {   /* the common case, and much cheaper */
		vv_const(dst, binop_concrete(op, sgn, is64, a.val, b.val));
		return;
	}
	if (is64)
		alu64(dst, op, sgn, &a, &b);
	else
		alu32(dst, op, sgn, &a, &b);
}

/* ---- branches -------------------------------------------------------------------------- */

/* The compared part of a value: all 64 bits, or the low 32 as a value of their own. */
struct cmpv {
	uint64_t umin, umax;
	int64_t smin, smax;
	struct tn t;
};

static void cmp_get(struct cmpv *c, const struct vfy_value *v, bool is32)
{
	if (is32) {
		c->umin = v->u32min;
		c->umax = v->u32max;
		c->smin = v->s32min;
		c->smax = v->s32max;
		c->t = (struct tn){ v->val & U32_MAX, v->mask & U32_MAX };
	} else {
		c->umin = v->umin;
		c->umax = v->umax;
		c->smin = v->smin;
		c->smax = v->smax;
		c->t = tn_of(v);
	}
}

/* Write the refined part back; false when the value became empty. */
static bool cmp_put(struct vfy_value *v, const struct cmpv *c, bool is32)
{
	if (c->umin > c->umax || c->smin > c->smax)
		return false;
	if (is32) {
		v->u32min = (uint32_t)c->umin;
		v->u32max = (uint32_t)c->umax;
		v->s32min = (int32_t)c->smin;
		v->s32max = (int32_t)c->smax;
		v->val = (v->val & HI32) | c->t.v;
		v->mask = (v->mask & HI32) | c->t.m;
		v->val &= ~v->mask;
	} else {
		v->umin = c->umin;
		v->umax = c->umax;
		v->smin = c->smin;
		v->smax = c->smax;
		v->val = c->t.v;
		v->mask = c->t.m;
	}
	return vv_sync(v);
}

/* The other outcome of a condition: taken "a op b" is not-taken "a inv(op) b". */
static unsigned jop_invert(unsigned jop)
{
	switch (jop) {
	case NYK_JMP_JEQ: return NYK_JMP_JNE;
	case NYK_JMP_JNE: return NYK_JMP_JEQ;
	case NYK_JMP_JGT: return NYK_JMP_JLE;
	case NYK_JMP_JLE: return NYK_JMP_JGT;
	case NYK_JMP_JGE: return NYK_JMP_JLT;
	case NYK_JMP_JLT: return NYK_JMP_JGE;
	case NYK_JMP_JSGT: return NYK_JMP_JSLE;
	case NYK_JMP_JSLE: return NYK_JMP_JSGT;
	case NYK_JMP_JSGE: return NYK_JMP_JSLT;
	case NYK_JMP_JSLT: return NYK_JMP_JSGE;
	default: return jop;   /* JSET: handled by the caller */
	}
}

static bool cmp_is_const(const struct cmpv *c) { return c->umin == c->umax; }

/* a != c for a constant c: a bound equal to c moves by one. */
static void cmp_exclude(struct cmpv *a, uint64_t c, int64_t sc)
{
	if (a->umin == c && a->umin < a->umax)
		a->umin++;
	else if (a->umax == c && a->umin < a->umax)
		a->umax--;
	if (a->smin == sc && a->smin < a->smax)
		a->smin++;
	else if (a->smax == sc && a->smin < a->smax)
		a->smax--;
}

/* a > b (strict) or a >= b, unsigned. */
static bool cmp_ugt(struct cmpv *a, struct cmpv *b, bool strict, uint64_t top)
{
	if (strict) {
		if (b->umin >= top || a->umax == 0)
			return false;
		a->umin = umax64(a->umin, b->umin + 1);
		b->umax = umin64(b->umax, a->umax - 1);
	} else {
		a->umin = umax64(a->umin, b->umin);
		b->umax = umin64(b->umax, a->umax);
	}
	return a->umin <= a->umax && b->umin <= b->umax;
}

static bool cmp_sgt(struct cmpv *a, struct cmpv *b, bool strict, int64_t smin_w, int64_t smax_w)
{
	if (strict) {
		if (b->smin >= smax_w || a->smax <= smin_w)
			return false;
		a->smin = smax64(a->smin, b->smin + 1);
		b->smax = smin64(b->smax, a->smax - 1);
	} else {
		a->smin = smax64(a->smin, b->smin);
		b->smax = smin64(b->smax, a->smax);
	}
	return a->smin <= a->smax && b->smin <= b->smax;
}

/* x & c != 0 where only one bit of c may be set in x: that bit is set. */
static void jset_single_bit(struct cmpv *x, uint64_t c)
{
	uint64_t possible = (x->t.v | x->t.m) & c;

	if (possible && (possible & (possible - 1)) == 0)
		x->t = tn_make(x->t.v | possible, x->t.m & ~possible);
}

static bool cmp_refine(struct cmpv *a, struct cmpv *b, unsigned jop, bool taken, bool is32)
{
	uint64_t top = is32 ? U32_MAX : U64_MAX;
	int64_t smin_w = is32 ? INT32_MIN : INT64_MIN, smax_w = is32 ? INT32_MAX : INT64_MAX;
	struct tn t;

	if (jop == NYK_JMP_JSET) {
		if (taken) {   /* a & b != 0 */
			if (((a->t.v | a->t.m) & (b->t.v | b->t.m)) == 0)
				return false;
			if (a->t.v & b->t.v)
				return true;   /* always true: nothing to learn */
			/* against a constant, when only one of its bits can be set in the other: it is */
			if (cmp_is_const(b))
				jset_single_bit(a, b->umin);
			if (cmp_is_const(a))
				jset_single_bit(b, a->umin);
			/* neither is 0 */
			if (a->umin == 0)
				a->umin = 1;
			if (b->umin == 0)
				b->umin = 1;
			cmp_exclude(a, 0, 0);
			cmp_exclude(b, 0, 0);
			return a->umin <= a->umax && b->umin <= b->umax;
		}
		/* a & b == 0 */
		if (a->t.v & b->t.v)
			return false;
		if (cmp_is_const(b))
			a->t = tn_make(a->t.v & ~b->umin, a->t.m & ~b->umin);
		if (cmp_is_const(a))
			b->t = tn_make(b->t.v & ~a->umin, b->t.m & ~a->umin);
		return true;
	}
	if (!taken)
		jop = jop_invert(jop);
	switch (jop) {
	case NYK_JMP_JEQ:
		if (!tn_intersect(a->t, b->t, &t))
			return false;
		a->t = b->t = t;
		a->umin = b->umin = umax64(a->umin, b->umin);
		a->umax = b->umax = umin64(a->umax, b->umax);
		a->smin = b->smin = smax64(a->smin, b->smin);
		a->smax = b->smax = smin64(a->smax, b->smax);
		return a->umin <= a->umax && a->smin <= a->smax;
	case NYK_JMP_JNE:
		if (cmp_is_const(a) && cmp_is_const(b))
			return a->umin != b->umin;
		if (cmp_is_const(b))
			cmp_exclude(a, b->umin, b->smin);
		else if (cmp_is_const(a))
			cmp_exclude(b, a->umin, a->smin);
		return true;
	case NYK_JMP_JGT: return cmp_ugt(a, b, true, top);
	case NYK_JMP_JGE: return cmp_ugt(a, b, false, top);
	case NYK_JMP_JLT: return cmp_ugt(b, a, true, top);
	case NYK_JMP_JLE: return cmp_ugt(b, a, false, top);
	case NYK_JMP_JSGT: return cmp_sgt(a, b, true, smin_w, smax_w);
	case NYK_JMP_JSGE: return cmp_sgt(a, b, false, smin_w, smax_w);
	case NYK_JMP_JSLT: return cmp_sgt(b, a, true, smin_w, smax_w);
	case NYK_JMP_JSLE: return cmp_sgt(b, a, false, smin_w, smax_w);
	default:
		return true;   /* not a comparison: learn nothing */
	}
}

bool vv_branch(struct vfy_value *a, struct vfy_value *b, unsigned jop, bool is32, bool taken)
{
	struct vfy_value na = *a, nb = *b;
	struct cmpv ca, cb;

	cmp_get(&ca, &na, is32);
	cmp_get(&cb, &nb, is32);
	if (!cmp_refine(&ca, &cb, jop, taken, is32))
		return false;
	if (!cmp_put(&na, &ca, is32) || !cmp_put(&nb, &cb, is32))
		return false;
	/* 64-bit equality: the two are one value, so every part is shared */
	if (!is32 && jop == (taken ? NYK_JMP_JEQ : NYK_JMP_JNE)) {
		if (!meet(&na, &nb))
			return false;
		nb = na;
	}
	*a = na;
	*b = nb;
	return true;
}

/* ---- lattice operations ------------------------------------------------------------------ */

void vv_join(struct vfy_value *a, const struct vfy_value *b)
{
	struct tn t = tn_union(tn_of(a), tn_of(b));

	a->umin = umin64(a->umin, b->umin);
	a->umax = umax64(a->umax, b->umax);
	a->smin = smin64(a->smin, b->smin);
	a->smax = smax64(a->smax, b->smax);
	if (b->u32min < a->u32min)
		a->u32min = b->u32min;
	if (b->u32max > a->u32max)
		a->u32max = b->u32max;
	if (b->s32min < a->s32min)
		a->s32min = b->s32min;
	if (b->s32max > a->s32max)
		a->s32max = b->s32max;
	a->val = t.v;
	a->mask = t.m;
	settle(a);
}

/*
 * Thresholds: the largest <= x or the smallest >= x (binary search), else
 * the limit. The 32-bit limits (U32_MAX, INT32_MIN, INT32_MAX) act as
 * thresholds too, so that a 32-bit counter is not widened to 64 bits.
 */
static uint64_t thr_u_below(const struct vfy_thresholds *t, uint64_t x, uint64_t limit)
{
	size_t lo = 0, hi = t ? t->nu : 0;
	while (lo < hi) {   /* first index with u[i] > x */
		size_t mid = lo + (hi - lo) / 2;
		if (t->u[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? t->u[lo - 1] : limit;
}

static uint64_t thr_u_above(const struct vfy_thresholds *t, uint64_t x, uint64_t limit)
{
	size_t lo = 0, hi = t ? t->nu : 0;
	while (lo < hi) {   /* first index with u[i] >= x */
		size_t mid = lo + (hi - lo) / 2;
		if (t->u[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	limit = x <= U32_MAX ? umin64(limit, U32_MAX) : limit;   /* 32-bit values stay 32-bit */
	return (t && lo < t->nu && t->u[lo] <= limit) ? t->u[lo] : limit;
}

static int64_t thr_s_below(const struct vfy_thresholds *t, int64_t x, int64_t limit)
{
	size_t lo = 0, hi = t ? t->ns : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->s[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	limit = x >= INT32_MIN ? smax64(limit, INT32_MIN) : limit;
	return (lo > 0 && t->s[lo - 1] >= limit) ? t->s[lo - 1] : limit;
}

static int64_t thr_s_above(const struct vfy_thresholds *t, int64_t x, int64_t limit)
{
	size_t lo = 0, hi = t ? t->ns : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->s[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (x <= INT32_MAX)
		limit = smin64(limit, INT32_MAX);
	else if (x <= (int64_t)U32_MAX)
		limit = smin64(limit, (int64_t)U32_MAX);
	return (t && lo < t->ns && t->s[lo] <= limit) ? t->s[lo] : limit;
}

/*
 * Known bits would hold a widened bound back: after one bit a step, a
 * counter's tnum would let its range grow only to 2^k - 1 per iteration.
 * So when a bound moves, only the known bits below the lowest differing
 * bit stay (alignment, parity); the bounds give back the high bits.
 */
void vv_widen(struct vfy_value *a, const struct vfy_value *b, const struct vfy_thresholds *t)
{
	struct tn k = tn_union(tn_of(a), tn_of(b));
	bool grew = false;

	if (b->umin < a->umin)
		a->umin = thr_u_below(t, b->umin, 0), grew = true;
	if (b->umax > a->umax)
		a->umax = thr_u_above(t, b->umax, U64_MAX), grew = true;
	if (b->smin < a->smin)
		a->smin = thr_s_below(t, b->smin, INT64_MIN), grew = true;
	if (b->smax > a->smax)
		a->smax = thr_s_above(t, b->smax, INT64_MAX), grew = true;
	if (b->u32min < a->u32min)
		a->u32min = (uint32_t)thr_u_below(t, b->u32min, 0), grew = true;
	if (b->u32max > a->u32max)
		a->u32max = (uint32_t)thr_u_above(t, b->u32max, U32_MAX), grew = true;
	if (b->s32min < a->s32min)
		a->s32min = (int32_t)thr_s_below(t, b->s32min, INT32_MIN), grew = true;
	if (b->s32max > a->s32max)
		a->s32max = (int32_t)thr_s_above(t, b->s32max, INT32_MAX), grew = true;
	if (grew && k.m)
		k = tn_make(k.v, k.m | ~((k.m & (0 - k.m)) - 1));   /* every bit from the lowest unknown one up */
	a->val = k.v;   /* bits that differ become unknown */
	a->mask = k.m;
	settle(a);
}

void vv_narrow(struct vfy_value *a, const struct vfy_value *b)
{
	struct vfy_value n = *a;
	struct tn k;

	if (n.umin == 0)
		n.umin = b->umin;
	if (n.umax == U64_MAX)
		n.umax = b->umax;
	if (n.smin == INT64_MIN)
		n.smin = b->smin;
	if (n.smax == INT64_MAX)
		n.smax = b->smax;
	if (n.u32min == 0)
		n.u32min = b->u32min;
	if (n.u32max == UINT32_MAX)
		n.u32max = b->u32max;
	if (n.s32min == INT32_MIN)
		n.s32min = b->s32min;
	if (n.s32max == INT32_MAX)
		n.s32max = b->s32max;
	if (tn_intersect(tn_of(&n), tn_of(b), &k)) {
		n.val = k.v;
		n.mask = k.m;
	}
	/* Narrowing assumes b <= a; if it is not, stay sound by keeping b inside. */
	if (!bounds_ok(&n) || !vv_sync(&n))
		n = *b;
	if (!vv_leq(b, &n))
		vv_join(&n, b);
	*a = n;
}

bool vv_leq(const struct vfy_value *a, const struct vfy_value *b)
{
	return a->umin >= b->umin && a->umax <= b->umax && a->smin >= b->smin && a->smax <= b->smax &&
	       a->u32min >= b->u32min && a->u32max <= b->u32max && a->s32min >= b->s32min &&
	       a->s32max <= b->s32max && tn_subset(tn_of(a), tn_of(b));
}

bool vv_eq(const struct vfy_value *a, const struct vfy_value *b)
{
	return a->umin == b->umin && a->umax == b->umax && a->smin == b->smin && a->smax == b->smax &&
	       a->u32min == b->u32min && a->u32max == b->u32max && a->s32min == b->s32min &&
	       a->s32max == b->s32max && a->val == b->val && a->mask == b->mask;
}

/* ---- printing ----------------------------------------------------------------------------- */

/* Numbers below 2^20 in decimal, larger ones in hex. */
static int fmt_u(char *buf, size_t size, uint64_t x)
{
	if (x < (1ull << 20))
		return snprintf(buf, size, "%llu", (unsigned long long)x);
	return snprintf(buf, size, "0x%llx", (unsigned long long)x);
}

static int fmt_s(char *buf, size_t size, int64_t x)
{
	int n;
	if (x >= 0)
		return fmt_u(buf, size, (uint64_t)x);
	n = snprintf(buf, size, "-");
	return n + fmt_u(buf + (size > 1 ? 1 : 0), size > 1 ? size - 1 : 0, 0 - (uint64_t)x);
}

struct out {
	char *buf;
	size_t size, len;
};

static void out_raw(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->len < o->size) {
		size_t room = o->size - o->len - 1;
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->len, s, k);
		o->buf[o->len + k] = '\0';
	}
	o->len += n;
}

static void out_part(struct out *o, const char *prefix, bool sgn, uint64_t lo, uint64_t hi)
{
	char a[32], b[32], part[96];

	if (sgn) {
		fmt_s(a, sizeof a, (int64_t)lo);
		fmt_s(b, sizeof b, (int64_t)hi);
	} else {
		fmt_u(a, sizeof a, lo);
		fmt_u(b, sizeof b, hi);
	}
	snprintf(part, sizeof part, "%s%s[%s,%s]", o->len ? " " : "", prefix, a, b);
	out_raw(o, part);
}

/* The interval parts of a value, in printing order. */
enum { PART_U, PART_S, PART_U32, PART_S32, NPARTS };

/* A value with only the kept parts of v (and its known bits when `bits`), tightened. */
static void rebuild(struct vfy_value *r, const struct vfy_value *v, const bool keep[NPARTS], bool bits)
{
	set_unknown(r);
	if (keep[PART_U])
		r->umin = v->umin, r->umax = v->umax;
	if (keep[PART_S])
		r->smin = v->smin, r->smax = v->smax;
	if (keep[PART_U32])
		r->u32min = v->u32min, r->u32max = v->u32max;
	if (keep[PART_S32])
		r->s32min = v->s32min, r->s32max = v->s32max;
	if (bits)
		r->val = v->val, r->mask = v->mask;
	settle(r);
}

static bool part_full(const struct vfy_value *v, int part)
{
	switch (part) {
	case PART_U: return v->umin == 0 && v->umax == U64_MAX;
	case PART_S: return v->smin == INT64_MIN && v->smax == INT64_MAX;
	case PART_U32: return v->u32min == 0 && v->u32max == UINT32_MAX;
	default: return v->s32min == INT32_MIN && v->s32max == INT32_MAX;
	}
}

/*
 * Format: a constant as a number ("42", "-1", "0xffffffff00000000");
 * otherwise the parts needed to say what the value is, separated by
 * spaces: "[umin,umax]" (unsigned 64-bit), "s[smin,smax]",
 * "u32[min,max]", "s32[min,max]" and "var=VAL,MASK" (known bits: VAL
 * holds them, MASK the unknown ones). A part the others imply is left
 * out, except that one of the two 64-bit ranges stays when either says
 * something (the signed one for values that may be negative); known bits
 * are shown only when the ranges do not imply them. "any" when nothing is
 * known. Numbers below 2^20 are decimal, larger ones hex.
 */
const char *vv_print(const struct vfy_value *v, char *buf, size_t size)
{
	static const int drop_order_pos[] = { PART_S32, PART_U32, PART_S, PART_U };
	static const int drop_order_neg[] = { PART_S32, PART_U32, PART_U, PART_S };
	struct out o = { buf, size, 0 };
	bool keep[NPARTS] = { true, true, true, true };
	const int *order;
	struct vfy_value r;
	char num[48];

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	if (vv_is_const(v)) {
		int64_t s = (int64_t)v->val;
		if (s < 0 && s > -(int64_t)(1 << 20))
			fmt_s(num, sizeof num, s);
		else
			fmt_u(num, sizeof num, v->val);
		out_raw(&o, num);
		return buf;
	}
	order = (v->smin < 0 && !part_full(v, PART_S)) ? drop_order_neg : drop_order_pos;
	for (int i = 0; i < NPARTS; i++) {
		int p = order[i];
		int other = p == PART_U ? PART_S : PART_U;
		if ((p == PART_U || p == PART_S) && !keep[other] && !part_full(v, p))
			continue;   /* keep one 64-bit range */
		keep[p] = false;
		rebuild(&r, v, keep, true);
		if (!vv_eq(&r, v))
			keep[p] = true;
	}
	for (int p = 0; p < NPARTS; p++)
		if (keep[p] && part_full(v, p))
			keep[p] = false;
	if (keep[PART_U])
		out_part(&o, "", false, v->umin, v->umax);
	if (keep[PART_S])
		out_part(&o, "s", true, (uint64_t)v->smin, (uint64_t)v->smax);
	if (keep[PART_U32])
		out_part(&o, "u32", false, v->u32min, v->u32max);
	if (keep[PART_S32])
		out_part(&o, "s32", true, (uint64_t)(int64_t)v->s32min, (uint64_t)(int64_t)v->s32max);
	rebuild(&r, v, keep, false);
	if (r.val != v->val || r.mask != v->mask) {
		snprintf(num, sizeof num, "%svar=0x%llx,0x%llx", o.len ? " " : "", (unsigned long long)v->val,
			 (unsigned long long)v->mask);
		out_raw(&o, num);
	}
	if (o.len == 0)
		out_raw(&o, "any");
	return buf;
}
