/*
 * gen_pkt.c - random XDP packet programs and their exact checked run (see gen_pkt.h).
 *
 * Registers of a generated program:
 *   r6  the context (copied from r1 at entry, never written)
 *   r2  data, r3 data_end, r4 data_meta when loaded (reloaded after calls, usually)
 *   r0  a scalar accumulator (r0 &= 3 before exit: XDP's return range)
 *   r1, r5, r7, r8  work registers: packet pointers or scalars
 *   r9  loop counter / index
 * The generator tracks roughly what each register holds so that most
 * statements are plausible; a few use the wrong register on purpose.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "gen_pkt.h"
#include "rng.h"
#include "nyuki/vm.h"

enum { K_NONE, K_SCAL, K_PTR, K_META };
enum { FRAME = 4096, HEADROOM = 256, XDP_FRAME_SZ = 40, TAILROOM = 320, ETH_HLEN = 14, META_MAX = 32 };

struct pg {
	uint64_t rng;
	char *buf;
	size_t size, len;
	int kind[11];
	int slot_kind[8];     /* what r10 - 8 * (i + 1) holds */
	int pr[11];            /* bytes a passed check should have proven from the register (-1: none) */
	int slot_rng[8];
	int coff[11];         /* constant offset of a pointer from data (-1: variable or unknown) */
	int slot_coff[8];
	int pd;               /* bytes from data that checks should have proven for constant offsets */
	unsigned labels;
	int in_loop;
	int meta;             /* r4 holds data_meta */
};

static uint64_t rnd(struct pg *g)
{
	return dt_rng_next(&g->rng);
}

static unsigned below(struct pg *g, unsigned n)
{
	return dt_rng_below(&g->rng, n);
}

static int chance(struct pg *g, unsigned percent)
{
	return below(g, 100) < percent;
}

static int between(struct pg *g, int lo, int hi)
{
	return lo + (int)below(g, (unsigned)(hi - lo + 1));
}

static void out(struct pg *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->len + 1 >= g->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(g->buf + g->len, g->size - g->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		g->len = g->len + (size_t)n < g->size ? g->len + (size_t)n : g->size - 1;
}

static const int work_regs[] = { 1, 5, 7, 8 };

static void set(struct pg *g, int r, int kind)
{
	g->kind[r] = kind;
	g->pr[r] = -1;
	g->coff[r] = -1;
}

/* After calls, loops and joins: the generator no longer guesses what is proven. */
static void forget(struct pg *g)
{
	for (int r = 0; r < 11; r++)
		g->pr[r] = -1;
	for (int i = 0; i < 8; i++)
		g->slot_rng[i] = -1;
	g->pd = 0;
}

/*
 * A work register holding `kind`: one that does, or one made to (a copy of
 * data, a small constant); now and then any work register, on purpose.
 */
static int pick(struct pg *g, int kind)
{
	int cand[4], n = 0, d;

	if (chance(g, 1))
		return work_regs[below(g, 4)];
	for (int i = 0; i < 4; i++)
		if (g->kind[work_regs[i]] == kind)
			cand[n++] = work_regs[i];
	if (kind == K_SCAL && g->kind[9] == K_SCAL && !g->in_loop && chance(g, 30))
		return 9;
	if (n)
		return cand[below(g, (unsigned)n)];
	d = work_regs[below(g, 4)];
	if (kind == K_PTR)
		out(g, "r%d = r2\n", d);
	else
		out(g, "r%d = %d\n", d, (int)below(g, 16));
	set(g, d, kind == K_PTR ? K_PTR : K_SCAL);
	g->coff[d] = kind == K_PTR ? 0 : -1;
	return d;
}

/* What a passed check proves, as the generator guesses it. */
static void note_check(struct pg *g, int p, int t, int proven, int strict, int meta)
{
	g->pr[p] = proven;
	if (meta)
		return;
	g->pr[t] = strict;
	if (g->coff[t] >= 0 && g->coff[t] + strict > g->pd)
		g->pd = g->coff[t] + strict;
}

/* Bytes proven from pointer r: by its own check, or by one on a pointer at a constant offset. */
static int proven_from(struct pg *g, int r)
{
	int best = g->pr[r];

	if (g->coff[r] >= 0 && g->pd - g->coff[r] > best)
		best = g->pd - g->coff[r];
	return best;
}

static int any_work(struct pg *g)
{
	return work_regs[below(g, 4)];
}

static const char *size_name(unsigned size);
static unsigned pick_size(struct pg *g);

/*
 * A packet access *(size *)(p + off): mostly inside what a check proved
 * (a check is made first when none did), now and then one byte past it,
 * sometimes anywhere.
 */
static void operand(struct pg *g, int *pp, unsigned *psize, int *poff)
{
	int p = chance(g, 15) && g->meta ? 4 : pick(g, K_PTR);
	unsigned size = pick_size(g);
	int off = chance(g, 85) ? between(g, 0, 16) : between(g, -4, 60);
	int avail = proven_from(g, p);

	if (avail < 1 && p != 4 && g->kind[p] == K_PTR && chance(g, 75)) {
		int t = work_regs[below(g, 4)], n = between(g, 1, 40);
		if (t == p)
			t = p == 5 ? 7 : 5;
		out(g, "r%d = r%d\nr%d += %d\nif r%d > r3 goto out\n", t, p, t, n, t);
		set(g, t, K_PTR);
		g->coff[t] = g->coff[p] >= 0 ? g->coff[p] + n : -1;
		note_check(g, p, t, n, 0, 0);
		avail = n;
	} else if (avail < 1 && p == 4 && chance(g, 75)) {
		/* metadata: data_meta + n <= data */
		int t = work_regs[below(g, 4)], n = between(g, 1, 12);
		out(g, "r%d = r4\nr%d += %d\nif r%d > r2 goto out\n", t, t, n, t);
		set(g, t, K_META);
		g->pr[4] = avail = n;
	}
	if (avail >= 1 && chance(g, 85)) {
		while (size > 1 && (int)size > avail)
			size /= 2;
		off = chance(g, 88) ? between(g, 0, avail - (int)size) : avail - (int)size + 1;
	}
	*pp = p;
	*psize = size;
	*poff = off;
}

static int small_off(struct pg *g)
{
	return chance(g, 80) ? between(g, 0, 40) : between(g, -8, 90);
}

static const char *size_name(unsigned size)
{
	return size == 1 ? "u8" : size == 2 ? "u16" : size == 4 ? "u32" : "u64";
}

static unsigned pick_size(struct pg *g)
{
	static const unsigned sizes[] = { 1, 1, 1, 2, 2, 4, 8 };
	return sizes[below(g, 7)];
}

/* ---- statements ------------------------------------------------------------------ */

static void st_ptr_const(struct pg *g)
{
	int d = any_work(g);

	int k = chance(g, 85) ? small_off(g) : 0;

	out(g, "r%d = r2\n", d);
	if (k)
		out(g, "r%d += %d\n", d, k);
	set(g, d, K_PTR);
	g->coff[d] = k;
}

/* Bound a scalar so that it can be added to a pointer (or, now and then, fail to). */
static void st_bound(struct pg *g, int s)
{
	static const int masks[] = { 1, 3, 7, 15, 31, 63, 127, 255, 0xffff };

	switch (below(g, 7)) {
	case 0: case 1:
		out(g, "r%d &= %d\n", s, masks[below(g, 9)]);
		break;
	case 2:
		out(g, "w%d &= %d\n", s, masks[below(g, 8)]);
		break;
	case 3:
		out(g, "r%d >>= %d\n", s, between(g, 1, 7));
		break;
	case 4:
		out(g, "if r%d > %d goto out\n", s, between(g, 0, 80));
		break;
	case 5:
		out(g, "if r%d %s %d goto out\n", s, chance(g, 50) ? "s>" : ">=", between(g, 0, 80));
		break;
	default:
		break;   /* unbounded on purpose */
	}
}

static void st_scalar(struct pg *g)
{
	int d = any_work(g);

	if (chance(g, 40)) {
		out(g, "r%d = %d\n", d, chance(g, 85) ? between(g, 0, 64) : between(g, -16, 300));
		set(g, d, K_SCAL);
		return;
	}
	/* From the packet: a byte or field, usually bounded. */
	int p, off;
	unsigned size;
	operand(g, &p, &size, &off);
	out(g, "r%d = *(%s *)(r%d %+d)\n", d, size_name(size), p, off);
	set(g, d, K_SCAL);
	if (chance(g, 85))
		st_bound(g, d);
}

static void st_arith(struct pg *g)
{
	int d = pick(g, K_SCAL);
	int k = chance(g, 80) ? between(g, 0, 20) : between(g, -20, 200);

	switch (below(g, 8)) {
	case 0: case 1:
		out(g, "r%d += %d\n", d, k);
		break;
	case 2:
		out(g, "w%d += %d\n", d, k);
		break;
	case 3:
		out(g, "r%d -= %d\n", d, k);
		break;
	case 4:
		out(g, "r%d <<= %d\n", d, between(g, 1, 3));
		break;
	case 5:
		out(g, "r%d += r%d\n", d, pick(g, K_SCAL));
		break;
	case 6:
		out(g, "r%d = r%d\n", d, pick(g, K_SCAL));
		break;
	default:
		st_bound(g, d);
		return;
	}
	set(g, d, K_SCAL);
}

static void st_ptr_var(struct pg *g)
{
	int s = pick(g, K_SCAL), d = pick(g, K_PTR);

	if (d == s)
		d = 5;
	if (chance(g, 40))
		out(g, "r%d = r2\n", d);
	else if (g->kind[d] != K_PTR)
		out(g, "r%d = r2\n", d);
	out(g, "r%d %s r%d\n", d, chance(g, 90) ? "+=" : "-=", s);
	if (chance(g, 30))
		out(g, "r%d += %d\n", d, between(g, -4, 20));
	set(g, d, K_PTR);
}

static void st_copy(struct pg *g)
{
	int d = any_work(g), s = chance(g, 60) ? pick(g, K_PTR) : pick(g, K_SCAL);

	if (d == s)
		return;
	out(g, "r%d = r%d\n", d, s);
	set(g, d, g->kind[s]);
	g->pr[d] = g->pr[s];
	g->coff[d] = g->coff[s];
}

static void st_access(struct pg *g)
{
	int p, off;
	unsigned size;

	operand(g, &p, &size, &off);

	if (chance(g, 65)) {
		int d = chance(g, 50) ? 0 : any_work(g);
		if (d == 0) {
			out(g, "r1 = *(%s *)(r%d %+d)\n", size_name(size), p, off);
			out(g, "r0 += r1\n");
			set(g, 1, K_SCAL);
		} else {
			out(g, "r%d = *(%s *)(r%d %+d)\n", d, size_name(size), p, off);
			set(g, d, K_SCAL);
		}
	} else if (chance(g, 50)) {
		out(g, "*(%s *)(r%d %+d) = %d\n", size_name(size), p, off, between(g, 0, 255));
	} else {
		out(g, "*(%s *)(r%d %+d) = r0\n", size_name(size), p, off);
	}
}

static void stmts(struct pg *g, int n, int depth);

/* Compare p + N (in t) with data_end: every operator, both orders, both outcomes used. */
static void st_check(struct pg *g, int depth)
{
	int meta = g->meta && chance(g, 15);
	int p = meta ? 4 : pick(g, K_PTR), t = any_work(g), end = meta ? 2 : 3;
	int n = chance(g, 80) ? between(g, 0, 48) : between(g, -4, 120);
	unsigned lab = g->labels++;

	if (t != p) {
		out(g, "r%d = r%d\n", t, p);
		set(g, t, g->kind[p]);
		g->coff[t] = g->coff[p];
	}
	if (n)
		out(g, "r%d += %d\n", t, n);
	g->coff[t] = g->coff[t] >= 0 && g->coff[t] + n >= 0 ? g->coff[t] + n : -1;
	/* The failing condition, as "t OP end" or "end OP t". */
	static const char *const fail[][2] = {
		{ "r%d > r%d", "r%d < r%d" },     /* t > end   /  end < t */
		{ "r%d >= r%d", "r%d <= r%d" },   /* t >= end  /  end <= t (one byte more proven) */
	};
	static const char *const pass[][2] = {
		{ "r%d <= r%d", "r%d >= r%d" },   /* t <= end  /  end >= t */
		{ "r%d < r%d", "r%d > r%d" },     /* t < end   /  end > t */
	};
	int strict = chance(g, 25), swap = chance(g, 50);
	char cond[32];
	int a = swap ? end : t, b = swap ? t : end;

	int proven = t == p ? strict : n + strict;   /* the bytes from p the check proves */
	int saved[11], saved_pd = 0;

	switch (below(g, 3)) {
	case 0:   /* if fail goto out */
		snprintf(cond, sizeof(cond), fail[strict][swap], a, b);
		out(g, "if %s goto out\n", cond);
		note_check(g, p, t, proven, strict, meta);
		break;
	case 1:   /* if pass goto ok; goto out; ok: */
		snprintf(cond, sizeof(cond), pass[strict][swap], a, b);
		out(g, "if %s goto L%u\n", cond, lab);
		out(g, "goto out\nL%u:\n", lab);
		note_check(g, p, t, proven, strict, meta);
		break;
	default:  /* if fail goto skip; body; skip: (or the body on the wrong side, now and then) */
		snprintf(cond, sizeof(cond), chance(g, 90) ? fail[strict][swap] : pass[strict][swap], a, b);
		out(g, "if %s goto L%u\n", cond, lab);
		memcpy(saved, g->pr, sizeof(saved));
		saved_pd = g->pd;
		note_check(g, p, t, proven, strict, meta);
		stmts(g, between(g, 1, 4), depth + 1);
		out(g, "L%u:\n", lab);
		memcpy(g->pr, saved, sizeof(saved));
		g->pd = saved_pd;
		/* The kinds after the join: whatever the body may have changed is unknown to us; keep it. */
		break;
	}
}

static void st_spill(struct pg *g)
{
	int slot = (int)below(g, 4);

	if (chance(g, 50) || g->slot_kind[slot] == K_NONE) {
		int s = chance(g, 60) ? pick(g, K_PTR) : pick(g, K_SCAL);
		if (g->kind[s] == K_NONE)
			return;
		out(g, "*(u64 *)(r10 %d) = r%d\n", -8 * (slot + 1), s);
		g->slot_kind[slot] = g->kind[s];
		g->slot_rng[slot] = g->pr[s];
		g->slot_coff[slot] = g->coff[s];
	} else {
		int d = any_work(g);
		out(g, "r%d = *(u64 *)(r10 %d)\n", d, -8 * (slot + 1));
		set(g, d, g->slot_kind[slot]);
		g->pr[d] = g->slot_rng[slot];
		g->coff[d] = g->slot_coff[slot];
	}
}

static void reload(struct pg *g)
{
	forget(g);
	out(g, "r2 = *(u32 *)(r6 + 0)\nr3 = *(u32 *)(r6 + 4)\n");
	g->kind[2] = g->kind[3] = K_PTR;
	g->coff[2] = 0;
	g->meta = 0;
	if (chance(g, 30)) {
		out(g, "r4 = *(u32 *)(r6 + 8)\n");
		g->meta = 1;
	}
}

static void st_call(struct pg *g)
{
	static const int helpers[] = { 44, 44, 54, 65 };
	int h = helpers[below(g, 4)], delta;

	if (h == 54)
		delta = -4 * (int)below(g, 9);
	else
		delta = chance(g, 70) ? between(g, -16, 16) : between(g, -64, 64);
	out(g, "r1 = r6\nr2 = %d\ncall %d\n", delta, h);
	if (chance(g, 50))
		out(g, "if r0 != 0 goto out\n");
	out(g, "r0 = 0\n");
	forget(g);
	g->kind[1] = g->kind[2] = g->kind[3] = g->kind[4] = g->kind[5] = K_NONE;
	for (int r = 7; r <= 9; r++)
		if (g->kind[r] == K_PTR && chance(g, 85))
			g->kind[r] = K_SCAL;
	g->meta = 0;
	if (chance(g, 90))
		reload(g);
}

/* Counted loops over the packet: maparray (check data + i + k, read data + i + j) and switch_vm shapes. */
static void st_loop(struct pg *g)
{
	unsigned lab = g->labels++;
	int k = between(g, 0, 6), j = chance(g, 80) ? between(g, 0, k) : between(g, 0, k + 2);
	int step = between(g, 1, 3), trips = between(g, 1, 40);
	unsigned size = chance(g, 70) ? 1 : pick_size(g);

	g->in_loop = 1;
	out(g, "r9 = %d\n", chance(g, 80) ? 0 : between(g, 0, 8));
	switch (below(g, 3)) {
	case 0:   /* for (i...) { if (data + i + k > end) break; acc += data[i + j]; } */
		out(g, "H%u:\n", lab);
		out(g, "r5 = r2\nr5 += r9\n");
		if (k)
			out(g, "r5 += %d\n", k);
		out(g, "if r5 > r3 goto X%u\n", lab);
		out(g, "r7 = r2\nr7 += r9\n");
		out(g, "r1 = *(%s *)(r7 %+d)\n", size_name(size), j);
		out(g, "r0 += r1\n");
		if (chance(g, 30))
			stmts(g, 1, 3);
		out(g, "r9 += %d\n", step);
		out(g, "if r9 < %d goto H%u\n", trips, lab);
		break;
	case 1:   /* switch_vm: check through a pointer advanced by step + 1, read through data + i */
		out(g, "r5 = r2\nr5 += %d\nif r5 > r3 goto X%u\n", k, lab);
		out(g, "H%u:\n", lab);
		out(g, "r7 = r2\nr7 += r9\n");
		out(g, "r1 = *(%s *)(r7 %+d)\n", size_name(size), j);
		out(g, "r0 += r1\n");
		out(g, "%s += %d\n", chance(g, 50) ? "w9" : "r9", step);
		out(g, "if r9 > %d goto X%u\n", trips, lab);
		out(g, "r5 += %d\n", chance(g, 85) ? step : between(g, 0, step));
		out(g, "if r5 > r3 goto X%u\ngoto H%u\n", lab, lab);
		break;
	default:  /* index kept in a bounded scalar: p = data + (x & m) + i */
		out(g, "r8 = *(u8 *)(r2 + 0)\nr8 &= %d\n", (int)below(g, 32));
		out(g, "H%u:\n", lab);
		out(g, "r5 = r2\nr5 += r8\nr5 += r9\n");
		out(g, "r7 = r5\nr7 += %d\nif r7 > r3 goto X%u\n", k, lab);
		out(g, "r1 = *(%s *)(r5 %+d)\n", size_name(size), j);
		out(g, "r0 += r1\n");
		out(g, "r9 += %d\n", step);
		out(g, "if r9 < %d goto H%u\n", trips, lab);
		break;
	}
	out(g, "X%u:\n", lab);
	g->in_loop = 0;
	set(g, 1, K_SCAL);
	set(g, 8, K_SCAL);
	set(g, 9, K_SCAL);
	set(g, 5, K_PTR);
	set(g, 7, K_PTR);
}

static void stmts(struct pg *g, int n, int depth)
{
	for (int i = 0; i < n; i++) {
		unsigned w = below(g, 100);
		if (w < 14)
			st_ptr_const(g);
		else if (w < 26)
			st_scalar(g);
		else if (w < 34)
			st_arith(g);
		else if (w < 44)
			st_ptr_var(g);
		else if (w < 50)
			st_copy(g);
		else if (w < 66)
			st_access(g);
		else if (w < 80 && depth < 3)
			st_check(g, depth);
		else if (w < 87)
			st_spill(g);
		else if (w < 91 && !g->in_loop)
			st_call(g);
		else if (w < 99 && depth == 0 && !g->in_loop)
			st_loop(g);
		else
			st_access(g);
	}
}

void pk_generate(char *buf, size_t size, uint64_t seed)
{
	struct pg g;

	memset(&g, 0, sizeof(g));
	forget(&g);
	for (int r = 0; r < 11; r++)
		g.coff[r] = -1;
	for (int i = 0; i < 8; i++)
		g.slot_coff[i] = -1;
	g.rng = seed * 0x2545f4914f6cdd1du + 7;
	g.buf = buf;
	g.size = size;
	buf[0] = 0;
	out(&g, "r6 = r1\nr0 = 0\nr1 = 0\nr8 = 0\n");
	reload(&g);
	out(&g, "r7 = r2\n");
	g.kind[0] = g.kind[1] = g.kind[8] = K_SCAL;
	g.kind[7] = K_PTR;
	g.coff[7] = 0;
	/* Most real programs check a header first; the rest of the program builds on it. */
	if (chance(&g, 70)) {
		int hdr = between(&g, 0, 40);
		out(&g, "r5 = r2\nr5 += %d\nif r5 > r3 goto out\n", hdr);
		g.kind[5] = K_PTR;
		g.coff[5] = g.pd = hdr;
	}
	stmts(&g, between(&g, 3, 14), 0);
	out(&g, "out:\nr0 &= 3\nexit\n");
}

/* ---- the exact run ------------------------------------------------------------------- */

/* struct xdp_md as the program sees it: 32-bit addresses, valid because the frame lies below 4 GiB. */
struct xdp_md {
	uint32_t data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex;
};

static struct {
	uint8_t *frame;          /* FRAME bytes below 4 GiB */
	struct xdp_md ctx;
	struct nyk_vm *vm;
} pk;

static uint8_t *at(uint32_t a)
{
	return (uint8_t *)(uintptr_t)a;
}

/* Only the packet and the metadata are memory the program may touch besides ctx and stack. */
static void set_regions(void)
{
	nyk_vm_clear_regions(pk.vm);
	if (pk.ctx.data_end > pk.ctx.data)
		nyk_vm_add_region(pk.vm, at(pk.ctx.data), pk.ctx.data_end - pk.ctx.data, NYK_MEM_READ | NYK_MEM_WRITE,
				  NULL);
	if (pk.ctx.data > pk.ctx.data_meta)
		nyk_vm_add_region(pk.vm, at(pk.ctx.data_meta), pk.ctx.data - pk.ctx.data_meta,
				  NYK_MEM_READ | NYK_MEM_WRITE, NULL);
}

/* The kernel's bpf_xdp_adjust_head: the metadata moves with data; at least ETH_HLEN bytes stay. */
static uint64_t adjust_head(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	int64_t delta = (int32_t)r2;
	uint32_t metalen = pk.ctx.data - pk.ctx.data_meta;
	int64_t data = (int64_t)pk.ctx.data + delta;
	uint32_t lowest = (uint32_t)(uintptr_t)pk.frame + XDP_FRAME_SZ + metalen;

	(void)r1, (void)r3, (void)r4, (void)r5, (void)x;
	if (data < lowest || data > (int64_t)pk.ctx.data_end - ETH_HLEN)
		return (uint64_t)-22;
	if (metalen)
		memmove(at((uint32_t)(pk.ctx.data_meta + delta)), at(pk.ctx.data_meta), metalen);
	pk.ctx.data_meta = (uint32_t)(pk.ctx.data_meta + delta);
	pk.ctx.data = (uint32_t)data;
	set_regions();
	return 0;
}

/* bpf_xdp_adjust_meta: metadata of at most 32 bytes, a multiple of 4. */
static uint64_t adjust_meta(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	int64_t meta = (int64_t)pk.ctx.data_meta + (int32_t)r2;
	uint32_t lowest = (uint32_t)(uintptr_t)pk.frame + XDP_FRAME_SZ;

	(void)r1, (void)r3, (void)r4, (void)r5, (void)x;
	if (meta < lowest || meta > pk.ctx.data)
		return (uint64_t)-22;
	if ((pk.ctx.data - meta) > META_MAX || (pk.ctx.data - meta) % 4)
		return (uint64_t)-13;
	pk.ctx.data_meta = (uint32_t)meta;
	set_regions();
	return 0;
}

/* bpf_xdp_adjust_tail: data_end moves within the frame (less its tailroom), ETH_HLEN bytes stay. */
static uint64_t adjust_tail(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	int64_t end = (int64_t)pk.ctx.data_end + (int32_t)r2;
	int64_t hard_end = (int64_t)(uintptr_t)pk.frame + FRAME - TAILROOM;

	(void)r1, (void)r3, (void)r4, (void)r5, (void)x;
	if (end > hard_end || end < (int64_t)pk.ctx.data + ETH_HLEN)
		return (uint64_t)-22;
	if (end > (int64_t)pk.ctx.data_end)
		memset(at(pk.ctx.data_end), 0, (size_t)(end - pk.ctx.data_end));
	pk.ctx.data_end = (uint32_t)end;
	set_regions();
	return 0;
}

int pk_init(void)
{
	void *f = MAP_FAILED;

#ifdef MAP_32BIT
	f = mmap(NULL, FRAME, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#endif
	if (f == MAP_FAILED)
		f = mmap((void *)(uintptr_t)0x10000000u, FRAME, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (f == MAP_FAILED)
		return -1;
	if ((uintptr_t)f + FRAME > 0xffffffffu) {
		munmap(f, FRAME);
		return -1;
	}
	pk.frame = f;
	return 0;
}

/* Lay out packet `len` of a run: metadata now and then, bytes all 0xff, counting, or random. */
static void layout(struct pg *g, unsigned len, int jit, char *desc, size_t desc_size)
{
	unsigned metalen = chance(g, 30) ? 4 * below(g, 9) : 0, fill = below(g, 3);

	memset(pk.frame, 0x5a, FRAME);
	for (unsigned i = 0; i < len + metalen; i++) {
		uint8_t *b = pk.frame + HEADROOM - metalen + i;
		*b = fill == 0 ? 0xff : fill == 1 ? (uint8_t)i : (uint8_t)rnd(g);
	}
	memset(&pk.ctx, 0, sizeof(pk.ctx));
	pk.ctx.data = (uint32_t)(uintptr_t)(pk.frame + HEADROOM);
	pk.ctx.data_end = pk.ctx.data + len;
	pk.ctx.data_meta = pk.ctx.data - metalen;
	pk.ctx.ingress_ifindex = 1;
	snprintf(desc, desc_size, "packet of %u bytes (%s), %u bytes of metadata, %s", len,
		 fill == 0 ? "all 0xff" : fill == 1 ? "byte i = i" : "random", metalen, jit ? "jit" : "interpreter");
}

static struct nyk_vm *make_vm(int jit, struct nyk_error *err)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .insn_budget = 10000000, .flags = jit ? NYK_VM_JIT : 0 };
	struct nyk_vm *vm = nyk_vm_create();

	if (!vm || nyk_vm_set_opts(vm, &opts) < 0 ||
	    nyk_vm_register_helper(vm, 44, "bpf_xdp_adjust_head", adjust_head, err) < 0 ||
	    nyk_vm_register_helper(vm, 54, "bpf_xdp_adjust_meta", adjust_meta, err) < 0 ||
	    nyk_vm_register_helper(vm, 65, "bpf_xdp_adjust_tail", adjust_tail, err) < 0) {
		nyk_vm_destroy(vm);
		return NULL;
	}
	return vm;
}

int pk_run(const struct nyk_insn *insns, size_t n, uint64_t seed, int jit, char *desc, size_t desc_size,
	   struct nyk_error *err)
{
	struct pg g = { .rng = seed * 0x9e3779b97f4a7c15u + 1 };
	uint64_t r0;
	int rc = 0;

	nyk_error_clear(err);
	pk.vm = make_vm(jit, err);
	if (!pk.vm && jit)   /* no JIT here: the interpreter judges alone */
		pk.vm = make_vm(jit = 0, err);
	if (!pk.vm) {
		snprintf(desc, desc_size, "no vm");
		snprintf(err->message, sizeof(err->message), "cannot set up the vm");
		return -1;
	}
	if (nyk_vm_load(pk.vm, insns, n, err) < 0) {
		/* The loader refusing what the verifier accepted is no fault, but worth seeing. */
		snprintf(desc, desc_size, "refused by the vm loader: insn %ld: %s", err->insn, err->message);
		goto out;
	}
	/* Every length: a check off by one byte shows only on the packet that ends exactly there. */
	for (unsigned len = 0; len <= PK_MAX_LEN && rc == 0; len++) {
		layout(&g, len, jit, desc, desc_size);
		set_regions();
		rc = nyk_vm_exec(pk.vm, &pk.ctx, sizeof(pk.ctx), &r0, err) < 0 ? -1 : 0;
	}
out:
	nyk_vm_destroy(pk.vm);
	pk.vm = NULL;
	return rc;
}
