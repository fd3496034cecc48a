/*
 * test_vfy_pack.c - what the engine's fast paths for stored states rely
 * on (state.c): packing in one pass writes exactly vfy_state_packed_size
 * bytes, never more than vfy_state_packed_bound, and a state copied with
 * vfy_state_copy_live is the state unpacking its packed form gives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "verifier/vfy.h"

static uint64_t seed = 88172645463325252ull;

static uint64_t rnd64(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* Any register, with every field often at its widest (the bound must cover it). */
static void rnd_reg(struct vfy_reg *r, bool wide)
{
	vfy_reg_uninit(r);
	r->kind = (uint8_t)(rnd64() % VFY_KIND_COUNT);
	if (r->kind == VFY_NOT_INIT && !wide)
		return;
	r->flags = (uint8_t)(rnd64() & 7);
	r->frame = (uint8_t)(wide ? 0xff : rnd64() % VFY_MAX_FRAMES);
	r->spare = wide ? 0xff : 0;
	r->map = wide ? UINT32_MAX : (uint32_t)(rnd64() % 4);
	r->id = wide ? UINT32_MAX : (uint32_t)(rnd64() % 8);
	r->ref = wide ? UINT32_MAX : 0;
	r->size = wide ? UINT32_MAX : (uint32_t)(rnd64() % 256);
	r->range = wide ? INT32_MIN : (int32_t)(rnd64() % 100) - 10;
	r->def_pc = wide ? UINT32_MAX - 1 : (uint32_t)(rnd64() % 2000000);
	switch (rnd64() % 4) {
	case 0:
		vv_const(&r->v, rnd64());
		break;
	case 1:
		vv_unknown(&r->v);
		break;
	case 2:
		vv_urange(&r->v, rnd64() % 1000, 1000 + rnd64() % 100000);
		break;
	default:
		/* fields no prediction gets right: each is written out */
		r->v.umin = rnd64() | 1;
		r->v.umax = UINT64_MAX - 1;
		r->v.smin = INT64_MIN + 1;
		r->v.smax = -2;
		r->v.u32min = 3;
		r->v.u32max = UINT32_MAX - 3;
		r->v.s32min = INT32_MIN + 5;
		r->v.s32max = -7;
		r->v.val = 0x8000000000000000ull;
		r->v.mask = 0x7ffffffffffffff0ull;
		break;
	}
}

static void rnd_state(struct vfy_state *st, bool wide)
{
	vfy_state_init(st);
	st->nframes = wide ? VFY_MAX_FRAMES : 1 + (uint32_t)(rnd64() % VFY_MAX_FRAMES);
	st->nrefs = (uint32_t)(rnd64() % (VFY_MAX_REFS + 1));
	for (uint32_t i = 0; i < st->nrefs; i++)
		st->refs[i] = wide ? UINT32_MAX : (uint32_t)rnd64();
	st->lock = wide ? UINT32_MAX : (uint32_t)(rnd64() % 3);
	for (unsigned i = 0; i < NYK_REG_COUNT; i++)
		rnd_reg(&st->regs[i], wide);
	for (uint32_t f = 0; f < st->nframes; f++) {
		struct vfy_frame *fr = &st->frames[f];

		fr->callsite = f ? (uint32_t)(rnd64() % 100000) : VFY_NO_PC;
		fr->func = wide ? UINT32_MAX : (uint32_t)(rnd64() % 1000);
		fr->depth = (uint32_t)(rnd64() % 513);
		for (unsigned w = 0; w < VFY_STACK_BYTES / 64; w++)
			fr->init[w] = wide ? 0x5555555555555555ull : (rnd64() % 3 ? rnd64() : 0);
		fr->spilled = wide ? UINT64_MAX : rnd64() & rnd64();
		for (unsigned s = 0; s < VFY_SLOTS; s++) {
			fr->spill_size[s] = (uint8_t)(1u << (rnd64() % 4));
			rnd_reg(&fr->spill[s], wide);
		}
		for (unsigned i = 0; f > 0 && i < 4; i++)
			rnd_reg(&fr->saved[i], wide);
	}
}

/* One state through both paths: sizes agree and stay in the bound; copy_live gives what unpacking gives. */
static bool check_state(const struct vfy_state *st)
{
	size_t n = vfy_state_packed_size(st), bound = vfy_state_packed_bound(st), n1, n2;
	uint8_t *a = malloc(bound + 16), *b = malloc(bound + 16);
	struct vfy_state *copy = malloc(sizeof(*copy)), *back = malloc(sizeof(*back));
	bool ok = false;

	if (!a || !b || !copy || !back)
		goto out;
	memset(a, 0xa5, bound + 16);
	n1 = vfy_state_pack_n(st, a);
	if (n1 != n || n > bound || a[bound] != 0xa5)
		goto out;
	memset(copy, 0x5a, sizeof(*copy));
	memset(back, 0x3c, sizeof(*back));
	vfy_state_copy_live(copy, st);
	vfy_state_unpack(back, a);
	/* both encode to the same bytes as the original (the encoding is exact) */
	n2 = vfy_state_pack_n(copy, b);
	if (n2 != n || memcmp(a, b, n) != 0)
		goto out;
	n2 = vfy_state_pack_n(back, b);
	ok = n2 == n && memcmp(a, b, n) == 0 && vfy_state_leq(copy, back) && vfy_state_leq(back, copy);
out:
	free(a);
	free(b);
	free(copy);
	free(back);
	return ok;
}

TEST(vfy_pack_one_pass_and_live_copy)
{
	struct vfy_state *st = malloc(sizeof(*st));

	CHECK(st);
	if (!st)
		return;
	for (int i = 0; i < 1500; i++) {
		rnd_state(st, false);
		CHECK_MSG(check_state(st), "random state %d", i);
	}
	/* every field at its longest encoding: the bound still holds */
	for (int i = 0; i < 50; i++) {
		rnd_state(st, true);
		CHECK_MSG(check_state(st), "widest state %d", i);
	}
	free(st);
}
