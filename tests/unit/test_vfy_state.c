/*
 * test_vfy_state.c - the verifier's states (src/verifier/state.c) and
 * helper prototypes (src/verifier/protos.c): printing, packing, join /
 * widening / inclusion, prototype lookups.
 */
#include <stdlib.h>

#include "nyuki/helpers.h"
#include "nyuki/progtype.h"
#include "test.h"
#include "verifier/vfy.h"

/* ---- building states ---------------------------------------------------------- */

static struct vfy_reg mk(unsigned kind, int64_t off)
{
	struct vfy_reg r;

	vfy_reg_uninit(&r);
	r.kind = (uint8_t)kind;
	vv_const(&r.v, (uint64_t)off);
	return r;
}

static struct vfy_reg mk_range(unsigned kind, int64_t lo, int64_t hi)
{
	struct vfy_reg r = mk(kind, 0);

	vv_srange(&r.v, lo, hi);
	return r;
}

/* Spill `r` at r10+off (off < 0, 8-aligned) of the innermost frame, size 8. */
static void spill(struct vfy_state *st, int off, const struct vfy_reg *r, unsigned size)
{
	struct vfy_frame *f = &st->frames[st->nframes - 1];
	unsigned s = (unsigned)(off + VFY_STACK_BYTES) / 8;

	f->spilled |= (uint64_t)1 << s;
	f->spill[s] = *r;
	f->spill_size[s] = (uint8_t)size;
	for (unsigned i = 0; i < size; i++) {
		unsigned b = s * 8 + i;
		f->init[b / 64] |= (uint64_t)1 << (b % 64);
	}
}

static void init_bytes(struct vfy_state *st, int off, unsigned n)
{
	struct vfy_frame *f = &st->frames[st->nframes - 1];

	for (unsigned i = 0; i < n; i++) {
		unsigned b = (unsigned)(off + VFY_STACK_BYTES) + i;
		f->init[b / 64] |= (uint64_t)1 << (b % 64);
	}
}

static struct vfy_state *new_state(void)
{
	struct vfy_state *st = malloc(sizeof(*st));

	if (st)
		vfy_state_init(st);
	return st;
}

/* ---- printing ------------------------------------------------------------------- */

static const char *rp(const struct vfy_reg *r)
{
	static char buf[160];

	return vfy_reg_print(r, buf, sizeof(buf));
}

TEST(vfy_reg_print_kinds)
{
	struct vfy_reg r;

	vfy_reg_const(&r, 7, 3);
	CHECK_STR(rp(&r), "scalar(7)");
	r = mk_range(VFY_SCALAR, 0, 255);
	CHECK_STR(rp(&r), "scalar([0,255])");
	vfy_reg_uninit(&r);
	CHECK_STR(rp(&r), "?");
	r = mk(VFY_CTX, 8);
	CHECK_STR(rp(&r), "ctx(off=8)");
	r = mk(VFY_STACK, -16);
	CHECK_STR(rp(&r), "fp(off=-16)");
	r.frame = 1;
	CHECK_STR(rp(&r), "fp1(off=-16)");
	r = mk(VFY_PKT, 14);
	r.range = 34;
	CHECK_STR(rp(&r), "pkt(off=14,r=34)");
	r = mk_range(VFY_PKT, 0, 255);
	r.id = 3;
	r.range = 14;
	CHECK_STR(rp(&r), "pkt(id=3,off=[0,255],r=14)");
	r = mk(VFY_PKT_META, 0);
	CHECK_STR(rp(&r), "pkt_meta(off=0,r=0)");
	r = mk(VFY_PKT_END, 0);
	CHECK_STR(rp(&r), "pkt_end");
	r = mk(VFY_MAP_PTR, 0);
	r.map = 2;
	CHECK_STR(rp(&r), "map_ptr(map=2)");
	r = mk(VFY_MAP_VALUE, 0);
	r.map = 2;
	CHECK_STR(rp(&r), "map_value(map=2,off=0)");
	r.flags = VFY_F_NULLABLE;
	r.id = 3;
	CHECK_STR(rp(&r), "map_value_or_null(map=2,id=3)");
	r.flags = VFY_F_RDONLY;
	r.id = 0;
	vv_const(&r.v, 4);
	CHECK_STR(rp(&r), "rdonly_map_value(map=2,off=4)");
	r = mk(VFY_MEM, 0);
	r.size = 64;
	CHECK_STR(rp(&r), "mem(size=64,off=0)");
	r.flags = VFY_F_REF;
	r.ref = 5;
	CHECK_STR(rp(&r), "alloc_mem(size=64,off=0,ref=5)");
	r = mk(VFY_FUNC, 12);
	CHECK_STR(rp(&r), "func(12)");
}

TEST(vfy_kind_names)
{
	CHECK_STR(vfy_kind_name(VFY_SCALAR, 0), "scalar");
	CHECK_STR(vfy_kind_name(VFY_STACK, 0), "fp");
	CHECK_STR(vfy_kind_name(VFY_PKT_END, 0), "pkt_end");
	CHECK_STR(vfy_kind_name(VFY_MAP_VALUE, VFY_F_NULLABLE), "map_value_or_null");
	CHECK_STR(vfy_kind_name(VFY_MEM, VFY_F_NULLABLE | VFY_F_REF), "alloc_mem_or_null");
	CHECK_STR(vfy_kind_name(VFY_MEM, VFY_F_RDONLY), "rdonly_mem");
	CHECK_STR(vfy_kind_name(VFY_KIND_COUNT, 0), "invalid");
}

TEST(vfy_state_print_regs_and_stack)
{
	struct vfy_state *st = new_state();
	char buf[512];
	struct vfy_reg r;
	size_t n;

	CHECK(st);
	n = vfy_state_print(st, buf, sizeof(buf));
	CHECK_STR(buf, "r1=ctx(off=0) r10=fp(off=0)");
	CHECK_EQ(n, strlen(buf));
	vfy_reg_const(&r, 7, 0);
	spill(st, -8, &r, 8);
	spill(st, -16, &st->regs[1], 8);
	init_bytes(st, -24, 8);
	init_bytes(st, -32, 4);
	st->regs[2] = mk(VFY_PKT, 14);
	st->regs[2].range = 14;
	vfy_state_print(st, buf, sizeof(buf));
	CHECK_STR(buf, "r1=ctx(off=0) r2=pkt(off=14,r=14) r10=fp(off=0) fp-8=scalar(7) fp-16=ctx(off=0) "
		       "fp-24=misc fp-32=mmmm????");
	/* Truncation: the full length is returned, the buffer holds a prefix. */
	n = vfy_state_print(st, buf, 10);
	CHECK(n > 10);
	CHECK_EQ(strlen(buf), 9);
	st->nrefs = 1;
	st->refs[0] = 4;
	st->lock = 9;
	vfy_state_print(st, buf, sizeof(buf));
	CHECK(strstr(buf, " refs=4 lock=9") != NULL);
	free(st);
}

/* ---- random states ---------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void rnd_value(struct vfy_value *v)
{
	int64_t a, b;

	switch (rndn(5)) {
	case 0:
		vv_const(v, rndn(4) ? rndn(64) : rnd());
		break;
	case 1:
		vv_unknown(v);
		break;
	case 2:
		a = (int64_t)rndn(100) - 50;
		b = a + (int64_t)rndn(300);
		vv_srange(v, a, b);
		break;
	case 3:
		vv_unknown_size(v, 1u << rndn(4), rndn(2));
		break;
	default:
		a = (int64_t)rndn(16);
		vv_urange(v, (uint64_t)a, (uint64_t)a + rndn(1000));
		break;
	}
}

/* Small pools of ids and maps make collisions between the two sides of a join likely. */
static void rnd_reg(struct vfy_reg *r, uint32_t nframes)
{
	static const uint8_t kinds[] = { VFY_NOT_INIT, VFY_SCALAR, VFY_SCALAR, VFY_SCALAR, VFY_CTX, VFY_STACK,
					 VFY_PKT, VFY_PKT, VFY_PKT_END, VFY_PKT_META, VFY_MAP_PTR, VFY_MAP_VALUE,
					 VFY_MAP_VALUE, VFY_MEM, VFY_FUNC };

	vfy_reg_uninit(r);
	r->kind = kinds[rndn(sizeof(kinds))];
	r->def_pc = rndn(3) ? rndn(5) : VFY_NO_PC;
	if (r->kind == VFY_NOT_INIT)
		return;
	rnd_value(&r->v);
	switch (r->kind) {
	case VFY_SCALAR:
		if (rndn(4) == 0)
			vv_const(&r->v, 0);
		break;
	case VFY_STACK:
		r->frame = (uint8_t)rndn(nframes);
		vv_const(&r->v, (uint64_t)-(int64_t)(8 * rndn(64)));
		break;
	case VFY_PKT:
	case VFY_PKT_META:
		r->id = rndn(4);
		r->range = (int32_t)rndn(40);
		break;
	case VFY_MAP_PTR:
		r->map = rndn(2);
		vv_const(&r->v, 0);
		break;
	case VFY_MAP_VALUE:
	case VFY_MEM:
		r->map = r->kind == VFY_MAP_VALUE ? rndn(2) : 0;
		r->size = r->kind == VFY_MEM ? 8 + 8 * rndn(3) : 0;
		if (rndn(2)) {
			r->flags |= VFY_F_NULLABLE;
			r->id = rndn(4);
			vv_const(&r->v, 0);
		}
		if (rndn(5) == 0)
			r->flags |= VFY_F_RDONLY;
		if (r->kind == VFY_MEM && rndn(4) == 0) {
			r->flags |= VFY_F_REF;
			r->ref = 1 + rndn(3);
		}
		break;
	case VFY_FUNC:
		vv_const(&r->v, rndn(3));
		break;
	default:
		break;
	}
}

static void rnd_state(struct vfy_state *st, uint32_t nframes)
{
	vfy_state_init(st);
	st->nframes = nframes;
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		rnd_reg(&st->regs[i], nframes);
	st->regs[10] = mk(VFY_STACK, 0);
	st->regs[10].frame = (uint8_t)(nframes - 1);
	st->nrefs = rndn(3);
	for (uint32_t i = 0; i < st->nrefs; i++)
		st->refs[i] = 1 + i + rndn(2);
	st->lock = rndn(4) == 0 ? 1 + rndn(2) : 0;
	for (uint32_t f = 0; f < nframes; f++) {
		struct vfy_frame *fr = &st->frames[f];

		fr->callsite = f ? 10 * f : VFY_NO_PC;
		fr->func = f ? 100 * f : 0;
		fr->depth = 8 * rndn(8);
		for (unsigned w = 0; w < VFY_STACK_BYTES / 64; w++) {
			unsigned how = rndn(4);

			fr->init[w] = how == 0 ? 0 : how == 1 ? UINT64_MAX : rnd();
		}
		for (unsigned k = rndn(6); k > 0; k--) {
			unsigned s = VFY_SLOTS - 1 - rndn(8);
			static const uint8_t sizes[] = { 8, 8, 4, 2, 1 };

			fr->spilled |= (uint64_t)1 << s;
			rnd_reg(&fr->spill[s], nframes);
			if (fr->spill[s].kind == VFY_NOT_INIT)
				vfy_reg_const(&fr->spill[s], 1, 2);
			fr->spill_size[s] = vfy_is_ptr(&fr->spill[s]) ? 8 : sizes[rndn(5)];
			fr->init[s / 8] |= (uint64_t)0xff << (s % 8 * 8);
		}
		for (unsigned i = 0; f > 0 && i < 4; i++)
			rnd_reg(&fr->saved[i], nframes);
	}
}

static bool value_eq(const struct vfy_value *a, const struct vfy_value *b)
{
	return a->umin == b->umin && a->umax == b->umax && a->smin == b->smin && a->smax == b->smax &&
	       a->u32min == b->u32min && a->u32max == b->u32max && a->s32min == b->s32min &&
	       a->s32max == b->s32max && a->val == b->val && a->mask == b->mask;
}

static bool reg_eq(const struct vfy_reg *a, const struct vfy_reg *b)
{
	return a->kind == b->kind && a->flags == b->flags && a->frame == b->frame && a->spare == b->spare &&
	       a->map == b->map && a->id == b->id && a->ref == b->ref && a->size == b->size &&
	       a->range == b->range && a->def_pc == b->def_pc && value_eq(&a->v, &b->v);
}

/* Equal in everything the state means (not in slots that hold no spill, nor frames past nframes). */
static bool state_eq(const struct vfy_state *a, const struct vfy_state *b)
{
	if (a->nframes != b->nframes || a->nrefs != b->nrefs || a->lock != b->lock)
		return false;
	if (memcmp(a->refs, b->refs, a->nrefs * sizeof(a->refs[0])) != 0)
		return false;
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		if (!reg_eq(&a->regs[i], &b->regs[i]))
			return false;
	for (uint32_t f = 0; f < a->nframes; f++) {
		const struct vfy_frame *fa = &a->frames[f], *fb = &b->frames[f];

		if (fa->callsite != fb->callsite || fa->func != fb->func || fa->depth != fb->depth ||
		    memcmp(fa->init, fb->init, sizeof(fa->init)) != 0 || fa->spilled != fb->spilled)
			return false;
		for (unsigned s = 0; s < VFY_SLOTS; s++)
			if (((fa->spilled >> s) & 1) &&
			    (fa->spill_size[s] != fb->spill_size[s] || !reg_eq(&fa->spill[s], &fb->spill[s])))
				return false;
		for (unsigned i = 0; f > 0 && i < 4; i++)
			if (!reg_eq(&fa->saved[i], &fb->saved[i]))
				return false;
	}
	return true;
}

/* ---- packing ------------------------------------------------------------------- */

/* Packs st, unpacks it into a fresh state, packs that again: same bytes, same state. */
static bool round_trip(const struct vfy_state *st, size_t *packed)
{
	size_t n = vfy_state_packed_size(st), n2;
	uint8_t *buf = malloc(n + 16), *buf2;
	struct vfy_state *back = new_state();
	bool ok = false;

	if (!buf || !back)
		goto out;
	memset(buf, 0xa5, n + 16);
	vfy_state_pack(st, buf);
	if (buf[n] != 0xa5)   /* wrote past the size it announced */
		goto out;
	memset(back, 0x5a, sizeof(*back));
	vfy_state_unpack(back, buf);
	n2 = vfy_state_packed_size(back);
	buf2 = malloc(n2 ? n2 : 1);
	if (!buf2)
		goto out;
	vfy_state_pack(back, buf2);
	ok = n2 == n && memcmp(buf, buf2, n) == 0 && state_eq(st, back) && vfy_state_leq(st, back) &&
	     vfy_state_leq(back, st);
	free(buf2);
	if (packed)
		*packed = n;
out:
	free(buf);
	free(back);
	return ok;
}

TEST(vfy_state_pack_entry_state)
{
	struct vfy_state *st = new_state();
	size_t n = 0;

	CHECK(st);
	CHECK(round_trip(st, &n));
	CHECK_MSG(n < 64, "entry state packs into %zu bytes", n);
	free(st);
}

TEST(vfy_state_pack_typical_small)
{
	struct vfy_state *st = new_state();
	struct vfy_reg r;
	size_t n = 0;

	CHECK(st);
	/* An XDP program in the middle: packet pointers, a map value, scalars, a few spills. */
	st->regs[0] = mk(VFY_MAP_VALUE, 0);
	st->regs[0].map = 1;
	st->regs[0].flags = VFY_F_NULLABLE;
	st->regs[0].id = 7;
	st->regs[0].def_pc = 120;
	st->regs[2] = mk(VFY_PKT, 14);
	st->regs[2].range = 34;
	st->regs[3] = mk(VFY_PKT_END, 0);
	st->regs[4] = mk_range(VFY_SCALAR, 0, 255);
	st->regs[4].def_pc = 99;
	vfy_reg_scalar(&st->regs[5], 1000);
	vfy_reg_const(&st->regs[6], 0xdeadbeef, 5);
	for (int off = -8; off >= -64; off -= 8) {
		vfy_reg_const(&r, (uint64_t)-off, 7);
		spill(st, off, &r, 8);
	}
	spill(st, -72, &st->regs[2], 8);
	init_bytes(st, -200, 100);
	st->frames[0].depth = 200;
	CHECK(round_trip(st, &n));
	CHECK_MSG(n < 1024, "typical state packs into %zu bytes", n);
	CHECK_MSG(n < 300, "typical state packs into %zu bytes", n);
	free(st);
}

TEST(vfy_state_pack_random)
{
	struct vfy_state *st = new_state();

	CHECK(st);
	rng_state = 12345;
	for (int i = 0; i < 2000; i++) {
		rnd_state(st, 1 + rndn(VFY_MAX_FRAMES));
		CHECK_MSG(round_trip(st, NULL), "round trip %d", i);
	}
	free(st);
}

TEST(vfy_state_pack_extremes)
{
	struct vfy_state *st = new_state();
	struct vfy_reg r;

	CHECK(st);
	/* Every value form and field at its limits. */
	vfy_reg_const(&st->regs[0], UINT64_MAX, UINT32_MAX - 1);
	vfy_reg_const(&st->regs[2], (uint64_t)INT64_MIN, 0);
	st->regs[3] = mk(VFY_PKT, -5);
	st->regs[3].range = INT32_MIN;
	st->regs[3].id = UINT32_MAX;
	st->regs[4] = mk_range(VFY_SCALAR, INT64_MIN, INT64_MAX - 1);
	st->regs[5] = mk(VFY_MEM, 0);
	st->regs[5].size = UINT32_MAX;
	st->regs[5].ref = UINT32_MAX;
	st->regs[5].flags = 0xff;
	st->regs[5].spare = 0xff;
	st->regs[6] = mk(VFY_STACK, -512);
	st->regs[6].frame = 0xff;
	st->nrefs = VFY_MAX_REFS;
	for (unsigned i = 0; i < VFY_MAX_REFS; i++)
		st->refs[i] = UINT32_MAX - i;
	st->lock = UINT32_MAX;
	st->frames[0].depth = UINT32_MAX;
	st->frames[0].callsite = 0;
	for (unsigned w = 0; w < VFY_STACK_BYTES / 64; w++)
		st->frames[0].init[w] = w & 1 ? 0x8000000000000001ull : UINT64_MAX;
	for (int s = 0; s < VFY_SLOTS; s++) {
		vfy_reg_const(&r, (uint64_t)s, (uint32_t)s);
		spill(st, s * 8 - VFY_STACK_BYTES, &r, 1u << (s % 4));
	}
	CHECK(round_trip(st, NULL));
	free(st);
}

/* ---- join, widening, inclusion ------------------------------------------------------ */

TEST(vfy_state_leq_reflexive_random)
{
	struct vfy_state *a = new_state();

	CHECK(a);
	rng_state = 777;
	for (int i = 0; i < 2000; i++) {
		rnd_state(a, 1 + rndn(3));
		CHECK_MSG(vfy_state_leq(a, a), "iteration %d", i);
	}
	free(a);
}

TEST(vfy_state_join_upper_bound_random)
{
	struct vfy_state *a = new_state(), *b = new_state(), *j = new_state(), *w = new_state();
	struct vfy_thresholds t = { 0 };
	char buf[4096];

	CHECK(a && b && j && w);
	rng_state = 4242;
	for (int i = 0; i < 5000; i++) {
		uint32_t nf = 1 + rndn(3);

		rnd_state(a, nf);
		rnd_state(b, nf);
		*j = *a;
		vfy_state_join(j, b);
		if (!vfy_state_leq(a, j) || !vfy_state_leq(b, j)) {
			vfy_state_print(a, buf, sizeof(buf));
			printf("    a:   %s\n", buf);
			vfy_state_print(b, buf, sizeof(buf));
			printf("    b:   %s\n", buf);
			vfy_state_print(j, buf, sizeof(buf));
			printf("    a|b: %s\n", buf);
			CHECK_MSG(0, "iteration %d: a <= a|b %d, b <= a|b %d", i, vfy_state_leq(a, j), vfy_state_leq(b, j));
		}
		/* Joining again changes nothing that matters. */
		*w = *j;
		vfy_state_join(w, b);
		CHECK_MSG(vfy_state_leq(w, j) && vfy_state_leq(j, w), "iteration %d: join not idempotent", i);
		*w = *a;
		vfy_state_widen(w, b, &t);
		CHECK_MSG(vfy_state_leq(a, w) && vfy_state_leq(b, w), "iteration %d: widening is no upper bound", i);
		CHECK_MSG(round_trip(j, NULL), "iteration %d: joined state does not round-trip", i);
	}
	free(a);
	free(b);
	free(j);
	free(w);
}

TEST(vfy_state_join_kinds)
{
	struct vfy_state *a = new_state(), *b = new_state();
	char buf[256];

	CHECK(a && b);
	/* pointer vs scalar: unusable; scalar vs scalar: the hull; equal def_pc kept, else none */
	a->regs[2] = mk(VFY_CTX, 0);
	vfy_reg_const(&b->regs[2], 5, 3);
	vfy_reg_const(&a->regs[3], 0, 4);
	vfy_reg_const(&b->regs[3], 7, 4);
	vfy_reg_const(&a->regs[4], 1, 4);
	vfy_reg_const(&b->regs[4], 1, 5);
	/* map value vs constant 0: the nullable map value, its id kept */
	a->regs[5] = mk(VFY_MAP_VALUE, 0);
	a->regs[5].map = 1;
	a->regs[5].id = 6;
	vfy_reg_const(&b->regs[5], 0, 8);
	/* stack pointers into different frames: unusable */
	a->regs[6] = mk(VFY_STACK, -8);
	b->regs[6] = mk(VFY_STACK, -8);
	b->regs[6].frame = 1;
	/* packet pointers with one base on each side, moved by 4 from a to b: the base stays, the smaller range */
	a->regs[7] = mk_range(VFY_PKT, 0, 10);
	a->regs[7].id = 2;
	a->regs[7].range = 20;
	b->regs[7] = mk_range(VFY_PKT, 4, 12);
	b->regs[7].id = 3;
	b->regs[7].range = 30;
	/* constant packet offsets: the smaller range */
	a->regs[8] = mk(VFY_PKT, 14);
	a->regs[8].range = 34;
	b->regs[8] = mk(VFY_PKT, 14);
	b->regs[8].range = 20;
	/* map values of different maps: unusable */
	a->regs[9] = mk(VFY_MAP_VALUE, 0);
	a->regs[9].map = 1;
	b->regs[9] = mk(VFY_MAP_VALUE, 0);
	b->regs[9].map = 2;
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[2].kind, VFY_NOT_INIT);
	CHECK_EQ(a->regs[2].def_pc, VFY_NO_PC);
	CHECK_STR(vfy_reg_print(&a->regs[3], buf, sizeof(buf)), "scalar([0,7])");
	CHECK_EQ(a->regs[3].def_pc, 4);
	CHECK_EQ(a->regs[4].def_pc, VFY_NO_PC);
	CHECK_STR(vfy_reg_print(&a->regs[5], buf, sizeof(buf)), "map_value_or_null(map=1,id=6)");
	CHECK_EQ(a->regs[6].kind, VFY_NOT_INIT);
	CHECK_EQ(a->regs[7].kind, VFY_PKT);
	CHECK_EQ(a->regs[7].id, 2);
	CHECK_EQ(a->regs[7].range, 20);   /* a range is relative to the register (transfer.c) */
	CHECK_STR(vfy_reg_print(&a->regs[8], buf, sizeof(buf)), "pkt(off=14,r=20)");
	CHECK_EQ(a->regs[9].kind, VFY_NOT_INIT);
	free(a);
	free(b);
}

TEST(vfy_state_join_ids)
{
	struct vfy_state *a = new_state(), *b = new_state();

	CHECK(a && b);
	/* Two copies of one lookup on each side, ids 4 and 9: the group survives as 4. */
	for (unsigned r = 6; r <= 7; r++) {
		a->regs[r] = mk(VFY_MAP_VALUE, 0);
		a->regs[r].flags = VFY_F_NULLABLE;
		a->regs[r].id = 4;
		b->regs[r] = a->regs[r];
		b->regs[r].id = 9;
	}
	/* r8: same id on a's side, another group on b's: both lose the relation. */
	a->regs[8] = a->regs[6];
	b->regs[8] = mk(VFY_MAP_VALUE, 0);
	b->regs[8].flags = VFY_F_NULLABLE;
	b->regs[8].id = 11;
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[8].id, 0);
	CHECK_EQ(a->regs[6].id, 0);   /* 4 met both 9 and 11 */
	/* Without r8 the group is kept. */
	vfy_state_init(a);
	vfy_state_init(b);
	for (unsigned r = 6; r <= 7; r++) {
		a->regs[r] = mk(VFY_MAP_VALUE, 0);
		a->regs[r].flags = VFY_F_NULLABLE;
		a->regs[r].id = 4;
		b->regs[r] = a->regs[r];
		b->regs[r].id = 9;
	}
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[6].id, 4);
	CHECK_EQ(a->regs[7].id, 4);
	/* A pointer that is 0 on one side while its id lives on there in another register: no id. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->regs[6] = mk(VFY_MAP_VALUE, 0);
	a->regs[6].flags = VFY_F_NULLABLE;
	a->regs[6].id = 4;
	a->regs[7] = a->regs[6];
	vfy_reg_const(&b->regs[6], 0, 1);
	b->regs[7] = mk(VFY_MAP_VALUE, 0);
	b->regs[7].id = 4;   /* checked non-null on b's side */
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[6].kind, VFY_MAP_VALUE);
	CHECK(a->regs[6].flags & VFY_F_NULLABLE);
	CHECK_EQ(a->regs[6].id, 0);
	CHECK_EQ(a->regs[7].id, 0);
	free(a);
	free(b);
}

TEST(vfy_state_join_stack)
{
	struct vfy_state *a = new_state(), *b = new_state();
	struct vfy_reg r;
	char buf[512];

	CHECK(a && b);
	vfy_reg_const(&r, 0, 0);
	spill(a, -8, &r, 8);
	vfy_reg_const(&r, 3, 0);
	spill(b, -8, &r, 8);
	/* a pointer on one side, data on the other: not readable at all */
	spill(a, -16, &a->regs[1], 8);
	init_bytes(b, -16, 8);
	/* a scalar spill on one side, data on the other: data */
	spill(a, -24, &r, 8);
	init_bytes(b, -24, 8);
	/* different sizes: data where both wrote */
	spill(a, -32, &r, 4);
	spill(b, -32, &r, 2);
	/* initialised on one side only */
	init_bytes(a, -40, 8);
	a->frames[0].depth = 40;
	b->frames[0].depth = 16;
	a->nrefs = 1;
	a->refs[0] = 3;
	b->nrefs = 2;
	b->refs[0] = 5;
	b->refs[1] = 3;
	b->lock = 7;
	vfy_state_join(a, b);
	vfy_state_print(a, buf, sizeof(buf));
	CHECK_STR(buf, "r1=ctx(off=0) r10=fp(off=0) fp-8=scalar([0,3]) fp-24=misc fp-32=mm?????? refs=3,5 lock=7");
	CHECK_EQ(a->frames[0].depth, 40);
	free(a);
	free(b);
}

TEST(vfy_state_leq_cases)
{
	struct vfy_state *a = new_state(), *b = new_state();

	CHECK(a && b);
	CHECK(vfy_state_leq(a, b));
	/* Anything is below "not initialised"; not the other way round. */
	vfy_reg_const(&a->regs[3], 5, 0);
	CHECK(vfy_state_leq(a, b));
	CHECK(!vfy_state_leq(b, a));
	/* A non-null map value is below the nullable one, and 0 is too. */
	a->regs[4] = mk(VFY_MAP_VALUE, 0);
	a->regs[4].map = 1;
	b->regs[4] = a->regs[4];
	b->regs[4].flags = VFY_F_NULLABLE;
	CHECK(vfy_state_leq(a, b));
	CHECK(!vfy_state_leq(b, a));
	vfy_reg_const(&a->regs[4], 0, 0);
	CHECK(vfy_state_leq(a, b));
	/* A longer proven packet range is below a shorter one. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->regs[2] = mk(VFY_PKT, 14);
	a->regs[2].range = 34;
	b->regs[2] = a->regs[2];
	b->regs[2].range = 14;
	CHECK(vfy_state_leq(a, b));
	CHECK(!vfy_state_leq(b, a));
	/* Initialised bytes: more is below less. */
	init_bytes(a, -8, 8);
	CHECK(vfy_state_leq(a, b));
	init_bytes(b, -16, 8);
	CHECK(!vfy_state_leq(a, b));
	/* References: a's must all be b's. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->nrefs = 1;
	a->refs[0] = 2;
	CHECK(!vfy_state_leq(a, b));
	CHECK(vfy_state_leq(b, a));
	free(a);
	free(b);
}

/*
 * A negative range (a pointer moved past what was proven: nothing known)
 * must stay negative through a join that drops the ids. Raising it to 0
 * let `r4 = data + (x & 0xff) + 8` on one path and `r4 = data + 16` on the
 * other read 8 bytes at r4 - 8 unchecked.
 */
TEST(vfy_state_join_negative_range)
{
	struct vfy_state *a = new_state(), *b = new_state();

	CHECK(a && b);
	a->regs[4] = mk_range(VFY_PKT, 9, 263);
	a->regs[4].id = 3;
	a->regs[4].range = -8;
	b->regs[4] = mk(VFY_PKT, 16);
	b->regs[4].range = -16;
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[4].kind, VFY_PKT);
	CHECK_EQ(a->regs[4].id, 0);          /* shifted from each other: no common base */
	CHECK_EQ(a->regs[4].range, -16);
	/* Same with both ids kept apart and equal offsets: the smaller range, negative too. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->regs[4] = mk_range(VFY_PKT, 8, 263);
	a->regs[4].id = 3;
	a->regs[4].range = -8;
	a->regs[5] = a->regs[4];             /* one group on a's side ... */
	b->regs[4] = a->regs[4];
	b->regs[4].id = 5;
	b->regs[5] = b->regs[4];
	b->regs[5].id = 6;                   /* ... two on b's: the ids go */
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[4].id, 0);
	CHECK_EQ(a->regs[4].range, -8);
	CHECK_EQ(a->regs[5].range, -8);
	free(a);
	free(b);
}

/*
 * Packet pointers of one base keep it through a join when all moved by the
 * same amount (the first trip's `p = data + 54` meeting `p = data + 62 +
 * 8k` at a loop head), not when they moved differently, nor, in a
 * widening, when they moved down.
 */
TEST(vfy_state_join_pkt_shift)
{
	struct vfy_state *a = new_state(), *b = new_state();
	struct thr { uint64_t u[1]; int64_t s[1]; } th = { { 0 }, { 0 } };
	struct vfy_thresholds t = { th.u, 0, th.s, 0 };

	CHECK(a && b);
	a->regs[3] = mk(VFY_PKT, 54);
	a->regs[3].id = 4;
	a->regs[5] = mk(VFY_PKT, 56);
	a->regs[5].id = 4;
	b->regs[3] = mk_range(VFY_PKT, 62, 2102);
	b->regs[3].id = 7;
	b->regs[5] = mk_range(VFY_PKT, 64, 2104);
	b->regs[5].id = 7;
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[3].id, 4);
	CHECK_EQ(a->regs[5].id, 4);
	CHECK_EQ(a->regs[3].v.smin, 54);
	CHECK_EQ(a->regs[5].v.smin, 56);
	/* Both sides are included in the join, with their own ids. */
	b->regs[3].id = b->regs[5].id = 9;
	CHECK(vfy_state_leq(b, a));
	/* Moved by different amounts: the ids go. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->regs[3] = mk(VFY_PKT, 54);
	a->regs[3].id = 4;
	a->regs[5] = mk(VFY_PKT, 56);
	a->regs[5].id = 4;
	b->regs[3] = mk(VFY_PKT, 62);
	b->regs[3].id = 7;
	b->regs[5] = mk(VFY_PKT, 66);
	b->regs[5].id = 7;
	CHECK(!vfy_state_leq(b, a));
	vfy_state_join(a, b);
	CHECK_EQ(a->regs[3].id, 0);
	CHECK_EQ(a->regs[5].id, 0);
	/* A widening where they moved down: the ids go too. */
	vfy_state_init(a);
	vfy_state_init(b);
	a->regs[3] = mk(VFY_PKT, 62);
	a->regs[3].id = 4;
	b->regs[3] = mk(VFY_PKT, 54);
	b->regs[3].id = 7;
	vfy_state_widen(a, b, &t);
	CHECK_EQ(a->regs[3].id, 0);
	free(a);
	free(b);
}

/* Inclusion compares ranges whatever the ids: a shorter (or negative) range is never below a longer one. */
TEST(vfy_state_leq_ranges_any_id)
{
	struct vfy_state *a = new_state(), *b = new_state();

	CHECK(a && b);
	a->regs[4] = mk(VFY_PKT, 8);
	a->regs[4].range = -8;
	b->regs[4] = a->regs[4];
	b->regs[4].range = 0;
	CHECK(!vfy_state_leq(a, b));
	CHECK(vfy_state_leq(b, a));
	a->regs[4].id = 4;                   /* a with a base of its own, b from data */
	CHECK(!vfy_state_leq(a, b));
	a->regs[4].range = 6;
	CHECK(vfy_state_leq(a, b));
	b->regs[4].range = 7;
	CHECK(!vfy_state_leq(a, b));
	free(a);
	free(b);
}

/* Fill every slot of frame f whose spilled bit is clear with a pointer "spill" of size 8 (stale bytes). */
static void stale_slots(struct vfy_state *st, uint32_t f)
{
	struct vfy_frame *fr = &st->frames[f];

	for (unsigned s = 0; s < VFY_SLOTS; s++) {
		if ((fr->spilled >> s) & 1)
			continue;
		fr->spill[s] = mk(VFY_CTX, 0);
		fr->spill_size[s] = 8;
	}
}

/*
 * Slots whose spilled bit is clear hold stale bytes after an unpack (it
 * writes only live slots); join, inclusion, packing and printing must not
 * see them.
 */
TEST(vfy_state_ignores_stale_slots)
{
	struct vfy_state *a = new_state(), *b = new_state(), *c = new_state();
	struct vfy_reg r;
	char buf[512], buf2[512];
	size_t n;
	uint8_t *pk;

	CHECK(a && b && c);
	vfy_reg_const(&r, 3, 0);
	spill(a, -8, &r, 8);
	spill(b, -8, &r, 8);
	init_bytes(a, -64, 56);
	init_bytes(b, -64, 56);
	vfy_state_copy(c, a);
	stale_slots(a, 0);
	stale_slots(b, 0);
	CHECK(vfy_state_leq(a, b));
	CHECK(vfy_state_leq(b, a));
	vfy_state_join(a, b);
	vfy_state_print(a, buf, sizeof(buf));
	CHECK_STR(buf, "r1=ctx(off=0) r10=fp(off=0) fp-8=scalar(3) fp-16=misc fp-24=misc fp-32=misc fp-40=misc "
		       "fp-48=misc fp-56=misc fp-64=misc");
	/* Packing: the same bytes as the clean state; unpacking over stale slots gives the same state. */
	n = vfy_state_packed_size(a);
	CHECK_EQ(n, vfy_state_packed_size(c));
	pk = malloc(n);
	CHECK(pk);
	vfy_state_pack(a, pk);
	vfy_state_unpack(b, pk);
	CHECK(vfy_state_leq(b, c) && vfy_state_leq(c, b));
	vfy_state_print(b, buf2, sizeof(buf2));
	CHECK_STR(buf2, buf);
	/* Unpacking a state with fewer spills over one with more leaves no spill behind. */
	vfy_state_init(c);
	spill(c, -16, &c->regs[1], 8);
	vfy_state_pack(a, pk);
	vfy_state_unpack(c, pk);
	CHECK_EQ(c->frames[0].spilled, (uint64_t)1 << (VFY_SLOTS - 1));
	free(pk);
	free(a);
	free(b);
	free(c);
}

TEST(vfy_state_narrow_keeps_shape)
{
	struct vfy_state *a = new_state(), *b = new_state();

	CHECK(a && b);
	a->regs[2] = mk(VFY_SCALAR, 0);
	vv_unknown(&a->regs[2].v);
	b->regs[2] = mk_range(VFY_SCALAR, 0, 10);
	b->regs[3] = mk(VFY_CTX, 0);
	vfy_state_narrow(a, b);
	CHECK_EQ(a->regs[3].kind, VFY_NOT_INIT);   /* narrowing adds no register */
	CHECK(vv_leq(&b->regs[2].v, &a->regs[2].v));
	free(a);
	free(b);
}

/* ---- helper prototypes ------------------------------------------------------------ */

TEST(vfy_helper_protos_known)
{
	const struct nyk_helper_proto *p = nyk_helper_proto(1);

	CHECK(p);
	CHECK_EQ(p->id, 1);
	CHECK_STR(p->name, "bpf_map_lookup_elem");
	CHECK_EQ(p->ret, NYK_RET_MAP_VALUE_OR_NULL);
	CHECK_EQ(p->args[0], NYK_ARG_CONST_MAP_PTR);
	CHECK_EQ(p->args[1], NYK_ARG_MAP_KEY);
	CHECK_EQ(p->args[2], NYK_ARG_NONE);
	CHECK_EQ(p->flags, 0);

	p = nyk_helper_proto(12);
	CHECK(p);
	CHECK_STR(p->name, "bpf_tail_call");
	CHECK(p->flags & NYK_PROTO_TAIL_CALL);
	CHECK_EQ(p->args[0], NYK_ARG_CTX);
	CHECK_EQ(p->args[1], NYK_ARG_CONST_MAP_PTR);
	CHECK_EQ(p->args[2], NYK_ARG_SCALAR);
	CHECK_EQ(p->args[3], NYK_ARG_NONE);

	p = nyk_helper_proto(181);
	CHECK(p);
	CHECK_STR(p->name, "bpf_loop");
	CHECK(p->flags & NYK_PROTO_CALLBACK);
	CHECK_EQ(p->cb_arg, 1);
	CHECK_EQ(p->args[p->cb_arg], NYK_ARG_FUNC);
	CHECK_EQ(p->cb_nargs, 2);
	CHECK_EQ(p->cb_ret_min, 0);
	CHECK_EQ(p->cb_ret_max, 1);
	CHECK_EQ(p->args[2], NYK_ARG_STACK_OR_NULL);

	p = nyk_helper_proto(164);
	CHECK(p);
	CHECK(p->flags & NYK_PROTO_CALLBACK);
	CHECK_EQ(p->cb_nargs, 4);
	CHECK_EQ(p->args[0], NYK_ARG_CONST_MAP_PTR);

	p = nyk_helper_proto(44);
	CHECK(p && (p->flags & NYK_PROTO_PKT_CHANGED));
	p = nyk_helper_proto(26);
	CHECK(p && !(p->flags & NYK_PROTO_PKT_CHANGED));
	p = nyk_helper_proto(113);
	CHECK(p && (p->flags & NYK_PROTO_GPL_ONLY));
	p = nyk_helper_proto(131);
	CHECK(p && p->ret == NYK_RET_ALLOC_MEM_OR_NULL && p->args[1] == NYK_ARG_CONST_ALLOC_SIZE);
}

TEST(vfy_helper_protos_unknown)
{
	CHECK(nyk_helper_proto(0) == NULL);
	CHECK(nyk_helper_proto(84) == NULL);   /* sk_lookup_tcp: sockets are not expressible */
	CHECK(nyk_helper_proto(1000) == NULL);
	CHECK(nyk_helper_proto(UINT32_MAX) == NULL);
}

TEST(vfy_helper_protos_table)
{
	const struct nyk_helper_proto *prev = NULL;
	unsigned n = 0;

	for (uint32_t id = 0; id < 512; id++) {
		const struct nyk_helper_proto *p = nyk_helper_proto(id);
		const char *name = nyk_helper_name(id);

		if (nyk_helper_available(id))
			CHECK_MSG(p, "helper %u is implemented but has no prototype", id);
		if (!p)
			continue;
		n++;
		CHECK_EQ(p->id, id);
		/* One sorted array: entries follow each other in id order. */
		CHECK_MSG(!prev || p == prev + 1, "helper %u is not next to the previous entry", id);
		prev = p;
		CHECK_MSG(name && strcmp(p->name, name) == 0, "helper %u: %s vs %s", id, p->name, name ? name : "?");
		/* Sizes follow memory; the last argument is followed by NONE only. */
		for (unsigned i = 0; i < 5; i++) {
			uint8_t t = p->args[i];

			CHECK(t < NYK_ARG_TYPE_COUNT);
			if (t == NYK_ARG_CONST_SIZE || t == NYK_ARG_CONST_SIZE_OR_ZERO)
				CHECK_MSG(i > 0 && (p->args[i - 1] == NYK_ARG_MEM || p->args[i - 1] == NYK_ARG_MEM_OR_NULL ||
						    p->args[i - 1] == NYK_ARG_UNINIT_MEM),
					  "helper %u argument %u: a size after no memory", id, i + 1);
			if (t == NYK_ARG_MEM || t == NYK_ARG_MEM_OR_NULL || t == NYK_ARG_UNINIT_MEM)
				CHECK_MSG(i < 4 && (p->args[i + 1] == NYK_ARG_CONST_SIZE ||
						    p->args[i + 1] == NYK_ARG_CONST_SIZE_OR_ZERO),
					  "helper %u argument %u: memory without a size", id, i + 1);
			if (t == NYK_ARG_NONE)
				for (unsigned k = i; k < 5; k++)
					CHECK(p->args[k] == NYK_ARG_NONE);
		}
		if (p->flags & NYK_PROTO_CALLBACK)
			CHECK(p->args[p->cb_arg] == NYK_ARG_FUNC && p->cb_ret_min <= p->cb_ret_max);
	}
	CHECK(n >= 100);
}
