/*
 * transfer_mem.c - memory accesses on an abstract state: loads, stores
 * and atomics through context, stack, packet, map value and memory
 * pointers; the legacy packet loads; and the memory regions helpers read
 * or write (transfer_call.c).
 *
 * Stack bytes are tracked one by one (init bits), registers stored whole
 * at a slot's start are kept (spills) so they come back on a load of the
 * same size. Pointer bytes never turn into readable scalar bytes in
 * unprivileged mode: a partial overwrite of a spilled pointer makes the
 * rest of its slot uninitialised.
 *
 * Context of a type without a field table (NYK_PT_CTX_BYTES): accesses
 * must have a constant offset, be aligned to their size and lie inside
 * the context: the caller's opts->ctx_size when nonzero (the run's
 * memory length), else ctx_size bytes when the type gives it, else the size
 * the kernel allows for that kind of context (pt_regs of x86-64 for
 * kprobes, 12 or 13 u64 arguments for raw tracepoints and tracing, a
 * tracepoint record's limit), and 65535 bytes for contexts only the run
 * knows (syscall, memory, an embedder's bytes): the checked run bounds
 * those.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nyuki/map.h"
#include "verifier/transfer_internal.h"

enum { M_LOAD, M_STORE, M_ATOMIC };

/* ---- offsets ----------------------------------------------------------------------- */

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* "off=14" or "off=[14,20]". */
static const char *off_text(char *buf, size_t size, int64_t lo, int64_t hi)
{
	if (lo == hi)
		snprintf(buf, size, "off=%lld", (long long)lo);
	else
		snprintf(buf, size, "off=[%lld,%lld]", (long long)lo, (long long)hi);
	return buf;
}

/* ---- stack ------------------------------------------------------------------------- */

static unsigned byte_index(int64_t o)
{
	return (unsigned)(o + VFY_STACK_BYTES);
}

static bool init_bit(const struct vfy_frame *f, int64_t o)
{
	unsigned i = byte_index(o);
	return f->init[i / 64] >> (i % 64) & 1;
}

static void set_init(struct vfy_frame *f, int64_t o, bool on)
{
	unsigned i = byte_index(o);

	if (on)
		f->init[i / 64] |= 1ull << (i % 64);
	else
		f->init[i / 64] &= ~(1ull << (i % 64));
}

static unsigned slot_of(int64_t o)
{
	return byte_index(o) / 8;
}

static void note_depth(struct vfy_frame *f, int64_t lo)
{
	uint32_t d = (uint32_t)((-lo + 7) & ~7ll);

	if (d > f->depth)
		f->depth = d;
}

static int stack_frame(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *p,
		       unsigned regno, struct vfy_frame **out)
{
	if (p->frame >= st->nframes || p->frame >= VFY_MAX_FRAMES) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u points into the stack frame of a function that has returned", regno);
	}
	*out = &st->frames[p->frame];
	return 0;
}

static int stack_bounds(struct vfy_env *env, size_t pc, unsigned regno, int64_t lo, int64_t hi, uint64_t size)
{
	char buf[64];

	if (lo >= -VFY_STACK_BYTES && sat_add(hi, (int64_t)size) <= 0)
		return 0;
	vfy_blame(env, (int)regno);
	return vfy_reject(env, pc, "stack access %s size=%llu is outside the frame [-512,0)",
			  off_text(buf, sizeof(buf), lo, hi), (unsigned long long)size);
}

/*
 * Every stack access starts here: the frame p points into, the bytes
 * [lo, hi + size) it may touch (p + off) checked inside that frame, and
 * the frame's depth noted.
 */
static int stack_access(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *p,
			unsigned regno, int64_t off, uint64_t size, struct vfy_frame **f, int64_t *lo, int64_t *hi)
{
	int rc;

	*lo = sat_add(p->v.smin, off);
	*hi = sat_add(p->v.smax, off);
	if ((rc = stack_frame(env, pc, st, p, regno, f)) < 0 || (rc = stack_bounds(env, pc, regno, *lo, *hi, size)) < 0)
		return rc;
	note_depth(*f, *lo);
	return 0;
}

/* Bytes [lo, end) are read: all initialised, no pointer spill among them (unprivileged). */
static int stack_read_check(struct vfy_env *env, size_t pc, const struct vfy_frame *f, unsigned regno, int64_t lo,
			    int64_t hi, uint64_t size, bool helper)
{
	int64_t end = hi + (int64_t)size;
	char buf[64];

	for (int64_t o = lo; o < end; o++) {
		unsigned t = slot_of(o);

		if ((f->spilled >> t & 1) && vfy_is_ptr(&f->spill[t]) && !env->privileged) {
			vfy_blame(env, (int)regno);
			if (helper)
				return vfy_reject(env, pc, "r%u leaks a %s pointer to a helper (spilled at off=%d)", regno,
						  vt_kind(&f->spill[t]), (int)(t * 8) - VFY_STACK_BYTES);
			return vfy_reject(env, pc, "reading part of a spilled pointer at off=%d",
					  (int)(t * 8) - VFY_STACK_BYTES);
		}
		if (!init_bit(f, o)) {
			vfy_blame(env, (int)regno);
			return vfy_reject(env, pc, "stack read %s size=%llu of uninitialised bytes",
					  off_text(buf, sizeof(buf), lo, hi), (unsigned long long)size);
		}
	}
	return 0;
}

/*
 * Bytes [lo, end) may be written: spills there are gone. Bytes of a
 * spilled pointer that are not certainly overwritten ([wlo, wend)) stop
 * being readable in unprivileged mode, so no part of an address leaks.
 */
static void stack_clobber(const struct vfy_env *env, struct vfy_frame *f, int64_t lo, int64_t end, int64_t wlo,
			  int64_t wend)
{
	for (unsigned t = slot_of(lo); t <= slot_of(end - 1) && t < VFY_SLOTS; t++) {
		if (!(f->spilled >> t & 1))
			continue;
		if (vfy_is_ptr(&f->spill[t]) && !env->privileged) {
			int64_t base = (int64_t)t * 8 - VFY_STACK_BYTES;

			for (int64_t o = base; o < base + 8; o++)
				if (o < wlo || o >= wend)
					set_init(f, o, false);
		}
		f->spilled &= ~(1ull << t);
	}
}

/* The low `size` bytes of a scalar, as a spill of that size keeps them. */
static void truncate_value(struct vfy_value *v, unsigned size)
{
	uint64_t mask = size >= 8 ? UINT64_MAX : (1ull << (size * 8)) - 1;

	if (size >= 8)
		return;
	if (vv_is_const(v))
		vv_const(v, v->val & mask);
	else if (v->umax > mask)
		vv_unknown_size(v, size, false);
}

static int stack_store(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *p, unsigned regno,
		       int off, unsigned size, const struct vfy_reg *val, int valno)
{
	struct vfy_frame *f = NULL;
	int64_t lo, hi;
	bool ptr = val && vfy_is_ptr(val);
	int rc;

	if ((rc = stack_access(env, pc, st, p, regno, off, size, &f, &lo, &hi)) < 0)
		return rc;
	if (lo != hi) {
		if (ptr && !env->privileged) {
			vfy_blame(env, valno);
			return vfy_reject(env, pc, "r%d leaks a %s pointer %s", valno, vfy_kind_name(val->kind, val->flags),
					  "into the stack at a variable offset");
		}
		stack_clobber(env, f, lo, hi + size, 0, 0);
		/*
		 * Privileged, every byte the store may write counts as initialised,
		 * as the kernel's allow_uninit_stack does: reading one it did not
		 * write gives old stack contents (a leak only unprivileged loaders
		 * are kept from; they cannot make a variable stack offset at all).
		 */
		if (env->privileged)
			for (int64_t o = lo; o < hi + (int64_t)size; o++)
				set_init(f, o, true);
		return 0;
	}
	if (ptr && (size != 8 || byte_index(lo) % 8) && !env->privileged) {
		vfy_blame(env, valno);
		return vfy_reject(env, pc, "r%d leaks a %s pointer %s", valno, vfy_kind_name(val->kind, val->flags),
				  "into part of a stack slot");
	}
	stack_clobber(env, f, lo, lo + size, lo, lo + size);
	for (int64_t o = lo; o < lo + size; o++)
		set_init(f, o, true);
	if (val && byte_index(lo) % 8 == 0 && (size == 8 || val->kind == VFY_SCALAR)) {
		unsigned t = slot_of(lo);

		f->spill[t] = *val;
		if (size < 8) {
			struct vfy_value whole = val->v;

			truncate_value(&f->spill[t].v, size);
			if (!vv_eq(&whole, &f->spill[t].v)) {
				f->spill[t].id = 0;   /* not a copy of the register any more */
				vt_forget_slack(&f->spill[t]);
			}
		}
		f->spill_size[t] = (uint8_t)size;
		f->spilled |= 1ull << t;
		if (VT_LINK_COPIES && valno >= 0 && val->kind == VFY_SCALAR && f->spill[t].id == 0 &&
		    (size == 8 || vv_eq(&val->v, &f->spill[t].v))) {
			/* The spill is an exact copy of the register: link them. */
			uint32_t id = st->regs[valno].id ? st->regs[valno].id : vfy_new_id(env);

			st->regs[valno].id = id;
			f->spill[t].id = id;
		}
	}
	return 0;
}

static int stack_load(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *p, unsigned regno,
		      int off, unsigned size, bool sign, struct vfy_reg *out)
{
	struct vfy_frame *f = NULL;
	int64_t lo, hi;
	int rc;

	if ((rc = stack_access(env, pc, st, p, regno, off, size, &f, &lo, &hi)) < 0)
		return rc;
	if (lo == hi && byte_index(lo) % 8 == 0) {
		unsigned t = slot_of(lo);

		if ((f->spilled >> t & 1) && f->spill_size[t] == size) {
			*out = f->spill[t];
			if (sign && size < 8 && out->kind == VFY_SCALAR &&
			    !(out->v.umax < 1ull << (size * 8 - 1))) {
				vv_unknown_size(&out->v, size, true);
				out->id = 0;
				vt_forget_slack(out);
			}
			return 0;
		}
	}
	if ((rc = stack_read_check(env, pc, f, regno, lo, hi, size, false)) < 0)
		return rc;
	vt_set_scalar_size(out, size, sign, (uint32_t)pc);
	return 0;
}

static int stack_read_atomic(struct vfy_env *env, size_t pc, struct vfy_state *st, const struct vfy_reg *p,
			     unsigned regno, int off, unsigned size)
{
	struct vfy_frame *f = NULL;
	int64_t lo, hi;
	int rc;

	if ((rc = stack_access(env, pc, st, p, regno, off, size, &f, &lo, &hi)) < 0)
		return rc;
	return stack_read_check(env, pc, f, regno, lo, hi, size, false);
}

/* ---- packet, map value, memory --------------------------------------------------------- */

bool vt_pkt_writable(const struct vfy_env *env)
{
	const struct nyk_progtype_desc *d = env->desc;

	if (!d)
		return false;
	switch (d->kernel_type) {
	case 3:  /* sched_cls */
	case 4:  /* sched_act */
	case 6:  /* xdp */
	case 11: /* lwt_xmit */
	case 14: /* sk_skb */
	case 16: /* sk_msg */
		return true;
	case 0:
		return d->run_model == NYK_MODEL_PACKET;
	default:
		return false;
	}
}

static int pkt_check(struct vfy_env *env, size_t pc, const struct vfy_reg *p, unsigned regno, int64_t off,
		     uint64_t size, bool write)
{
	int64_t lo = sat_add(p->v.smin, off), hi = sat_add(p->v.smax, off);
	char buf[64];

	if (write && !vt_pkt_writable(env)) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "writing into the packet is not allowed in %s programs",
				  env->desc && env->desc->name ? env->desc->name : "these");
	}
	/* The range counts from the pointer itself (transfer.c). */
	if (lo >= 0 && sat_add(off, (int64_t)size) <= p->range)
		return 0;
	vfy_blame(env, (int)regno);
	/* Said from data: the pointer's lowest offset plus what is proven beyond it. */
	return vfy_reject(env, pc, "packet access %s size=%llu is beyond the checked range [0,%lld)",
			  off_text(buf, sizeof(buf), lo, hi), (unsigned long long)size,
			  (long long)(sat_add(p->v.smin, p->range) > 0 ? sat_add(p->v.smin, p->range) : 0));
}

static int mapval_check(struct vfy_env *env, size_t pc, const struct vfy_reg *p, unsigned regno, int64_t off,
			uint64_t size, int mode, bool direct)
{
	const struct nyk_map_def *def = vt_map(env, p->map);
	int64_t lo = sat_add(p->v.smin, off), hi = sat_add(p->v.smax, off);
	char buf[64], name[64];

	if (!def) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u points into a value of map %u, which the program does not have", regno,
				  p->map);
	}
	if (lo < 0 || sat_add(hi, (int64_t)size) > (int64_t)def->value_size) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "map value access %s size=%llu is outside the value of %u bytes",
				  off_text(buf, sizeof(buf), lo, hi), (unsigned long long)size, def->value_size);
	}
	if (mode != M_LOAD && ((p->flags & VFY_F_RDONLY) || (def->map_flags & NYK_F_RDONLY_PROG))) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "write into a read-only map value (%s)",
				  vt_map_name(env, p->map, name, sizeof(name)));
	}
	if (mode != M_STORE && (def->map_flags & NYK_F_WRONLY_PROG)) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "read from a write-only map value (%s)",
				  vt_map_name(env, p->map, name, sizeof(name)));
	}
	if (direct && def->has_spin_lock && lo < (int64_t)def->spin_lock_off + 4 &&
	    sat_add(hi, (int64_t)size) > (int64_t)def->spin_lock_off) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "direct access to the bpf_spin_lock in a value of %s is not allowed",
				  vt_map_name(env, p->map, name, sizeof(name)));
	}
	return 0;
}

static int mem_check(struct vfy_env *env, size_t pc, const struct vfy_reg *p, unsigned regno, int64_t off,
		     uint64_t size, int mode)
{
	int64_t lo = sat_add(p->v.smin, off), hi = sat_add(p->v.smax, off);
	char buf[64];

	if (lo < 0 || sat_add(hi, (int64_t)size) > (int64_t)p->size) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "memory access %s size=%llu is outside the %u bytes of the memory",
				  off_text(buf, sizeof(buf), lo, hi), (unsigned long long)size, p->size);
	}
	if (mode != M_LOAD && (p->flags & VFY_F_RDONLY)) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "write into read-only memory");
	}
	return 0;
}

/* ---- context ------------------------------------------------------------------------- */

static uint32_t ctx_bytes_limit(const struct vfy_env *env, const struct nyk_progtype_desc *d)
{
	/* the caller knows the context's length (`prog run --mem`): that is the bound */
	if (env->opts && env->opts->ctx_size)
		return env->opts->ctx_size > UINT32_MAX ? UINT32_MAX : (uint32_t)env->opts->ctx_size;
	if (d->ctx_size)
		return d->ctx_size;
	switch (d->kernel_type) {
	case 2:  /* kprobe: struct pt_regs of x86-64 */
		return 168;
	case 7:  /* perf_event: bpf_perf_event_data = pt_regs, sample_period, addr */
		return 184;
	case 5:  /* tracepoint: a record, at most the kernel's PERF_MAX_TRACE_SIZE */
		return 2048;
	case 17: /* raw_tracepoint(_writable): up to MAX_BPF_FUNC_ARGS u64 arguments */
	case 24:
		return 12 * 8;
	case 26: /* tracing, lsm: the arguments and the return value */
	case 29:
		return 13 * 8;
	default: /* syscall, memory, an embedder's bytes: the run gives them */
		return 65535;
	}
}

static const struct nyk_ctx_field *ctx_field(const struct nyk_progtype_desc *d, int64_t o)
{
	for (size_t i = 0; d->fields && i < d->nfields; i++)
		if (o >= d->fields[i].offset && o < (int64_t)d->fields[i].offset + d->fields[i].size)
			return &d->fields[i];
	return NULL;
}

static int ctx_reject(struct vfy_env *env, size_t pc, unsigned regno, int64_t o, unsigned size, const char *why)
{
	vfy_blame(env, (int)regno);
	return vfy_reject(env, pc, "context access off=%lld size=%u: %s", (long long)o, size, why);
}

static int ctx_access(struct vfy_env *env, size_t pc, const struct vfy_reg *p, unsigned regno, int off,
		      unsigned size, int mode, bool sign, struct vfy_reg *out)
{
	const struct nyk_progtype_desc *d = env->desc;
	const char *cname = d->ctx_name ? d->ctx_name : "the context";
	const struct nyk_ctx_field *f;
	int64_t o = sat_add((int64_t)p->v.val, off);
	char why[128];
	bool ok = false;

	if (!vv_is_const(&p->v))
		return ctx_reject(env, pc, regno, sat_add(p->v.smin, off), size, "the offset is not constant");
	if (p->v.val != 0) {
		/* As the kernel: fields are reached by the instruction's offset from the unmoved pointer. */
		snprintf(why, sizeof(why), "r%u is the context moved by %lld; use the offset in the instruction", regno,
			 (long long)p->v.val);
		return ctx_reject(env, pc, regno, o, size, why);
	}
	if (mode == M_ATOMIC)
		return ctx_reject(env, pc, regno, o, size, "atomic operations on the context are not allowed");
	f = ctx_field(d, o);
	if (!f && (d->flags & NYK_PT_CTX_BYTES)) {
		uint32_t limit = ctx_bytes_limit(env, d);

		if (o < 0 || o + size > limit) {
			snprintf(why, sizeof(why), "outside the %u bytes of %s", limit, cname);
			return ctx_reject(env, pc, regno, o, size, why);
		}
		if (o % size)
			return ctx_reject(env, pc, regno, o, size, "the access is not aligned to its size");
		if (mode == M_STORE && !(d->flags & NYK_PT_CTX_WRITABLE)) {
			snprintf(why, sizeof(why), "%s is read-only", cname);
			return ctx_reject(env, pc, regno, o, size, why);
		}
		if (out)
			vt_set_scalar_size(out, size, sign, (uint32_t)pc);
		return 0;
	}
	if (!f) {
		snprintf(why, sizeof(why), "no field of %s there", cname);
		return ctx_reject(env, pc, regno, o, size, why);
	}
	if (mode == M_STORE && !(f->access & NYK_CTX_WRITE)) {
		snprintf(why, sizeof(why), "field %s is read-only", f->name);
		return ctx_reject(env, pc, regno, o, size, why);
	}
	if (mode == M_LOAD && !(f->access & NYK_CTX_READ)) {
		snprintf(why, sizeof(why), "field %s cannot be read in %s programs", f->name, d->name);
		return ctx_reject(env, pc, regno, o, size, why);
	}
	if (o % size == 0 && !(sign && f->kind != NYK_CTX_SCALAR)) {
		int64_t rel = o - f->offset;

		if (size == f->elem)
			ok = rel % f->elem == 0;
		else if (size < f->elem && mode == M_LOAD && (f->access & NYK_CTX_NARROW) && f->kind == NYK_CTX_SCALAR)
			ok = rel / f->elem == (rel + size - 1) / f->elem;
		else if (size == 8 && (f->access & NYK_CTX_WIDE) && f->elem == 4)
			ok = rel + 8 <= f->size;
	}
	if (!ok) {
		snprintf(why, sizeof(why), "field %s is %s with the wrong size", f->name,
			 mode == M_LOAD ? "read" : "written");
		return ctx_reject(env, pc, regno, o, size, why);
	}
	if (!out)
		return 0;
	switch (f->kind) {
	case NYK_CTX_PKT:
	case NYK_CTX_PKT_END:
	case NYK_CTX_PKT_META:
		vt_set_const(out, 0, (uint32_t)pc);
		out->kind = f->kind == NYK_CTX_PKT ? VFY_PKT : f->kind == NYK_CTX_PKT_END ? VFY_PKT_END : VFY_PKT_META;
		break;
	default:
		vt_set_scalar_size(out, size, sign, (uint32_t)pc);
		break;
	}
	return 0;
}

/* ---- one access ------------------------------------------------------------------------ */

/* A register one can load or store through. */
static int usable(struct vfy_env *env, size_t pc, const struct vfy_state *st, unsigned regno, const char *what)
{
	const struct vfy_reg *p = &st->regs[regno];
	long rel = vt_released_at(env, p);
	int rc;

	if (rel >= 0) {
		/* No longer a pointer: what the kernel makes of it in privileged mode says it best. */
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u is a scalar, not a pointer: cannot %s through it (its memory was "
				  "released at insn %ld)", regno, what, rel);
	}
	if ((rc = vt_need_init(env, pc, st, regno)) < 0)
		return rc;
	if (p->kind == VFY_SCALAR) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u is a scalar, not a pointer: cannot %s through it", regno, what);
	}
	if (p->flags & VFY_F_NULLABLE) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u may be NULL (%s); compare it with 0 first", regno, vt_kind(p));
	}
	if (p->kind == VFY_PKT_END || p->kind == VFY_MAP_PTR || p->kind == VFY_FUNC) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u is a %s pointer: cannot %s through it", regno, vt_kind(p), what);
	}
	return 0;
}

static const char *leak_place(unsigned kind)
{
	switch (kind) {
	case VFY_CTX:
		return "into the context";
	case VFY_PKT:
	case VFY_PKT_META:
		return "into the packet";
	case VFY_MAP_VALUE:
		return "into a map value";
	default:
		return "into memory";
	}
}

/*
 * Access `size` bytes at r<regno> + off. Stores write `val` (register
 * `valno`, -1 for an immediate; NULL: unknown bytes); loads fill *out.
 */
static int access(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned regno, int off, unsigned size,
		  int mode, const struct vfy_reg *val, int valno, bool sign, struct vfy_reg *out)
{
	struct vfy_reg p;
	int rc;

	if ((rc = usable(env, pc, st, regno, mode == M_LOAD ? "load" : "store")) < 0)
		return rc;
	p = st->regs[regno];
	if (val && vfy_is_ptr(val) && !env->privileged && p.kind != VFY_STACK) {
		vfy_blame(env, valno);
		return vfy_reject(env, pc, "r%d leaks a %s pointer %s", valno, vt_kind(val), leak_place(p.kind));
	}
	if (mode == M_ATOMIC && p.kind != VFY_STACK && p.kind != VFY_MAP_VALUE && p.kind != VFY_MEM &&
	    p.kind != VFY_CTX) {
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "atomic operations on %s memory are not allowed", vt_kind(&p));
	}
	switch (p.kind) {
	case VFY_CTX:
		return ctx_access(env, pc, &p, regno, off, size, mode, sign, out);
	case VFY_STACK:
		if (mode == M_LOAD)
			return stack_load(env, pc, st, &p, regno, off, size, sign, out);
		if (mode == M_STORE)
			return stack_store(env, pc, st, &p, regno, off, size, val, valno);
		/* Atomic: the bytes are read (no pointer among them), then overwritten with an unknown value. */
		if ((rc = stack_read_atomic(env, pc, st, &p, regno, off, size)) < 0)
			return rc;
		return stack_store(env, pc, st, &p, regno, off, size, NULL, -1);
	case VFY_PKT:
	case VFY_PKT_META:
		rc = pkt_check(env, pc, &p, regno, off, size, mode != M_LOAD);
		break;
	case VFY_MAP_VALUE:
		rc = mapval_check(env, pc, &p, regno, off, size, mode, true);
		break;
	case VFY_MEM:
		rc = mem_check(env, pc, &p, regno, off, size, mode);
		break;
	default:
		vfy_blame(env, (int)regno);
		return vfy_reject(env, pc, "r%u is a %s pointer: cannot access memory through it", regno, vt_kind(&p));
	}
	if (rc < 0)
		return rc;
	if (out)
		vt_set_scalar_size(out, size, sign, (uint32_t)pc);
	return 0;
}

int vt_load(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned size = vt_size_bytes(in->opcode);
	bool sign = (in->opcode & 0xe0) == NYK_MODE_MEMSX;
	struct vfy_reg out;
	int rc;

	if ((in->opcode & 0xe0) != NYK_MODE_MEM && !sign)
		return -EINVAL;
	rc = access(env, pc, st, nyk_insn_src(in), in->off, size, M_LOAD, NULL, -1, sign, &out);
	if (rc < 0)
		return rc;
	st->regs[nyk_insn_dst(in)] = out;
	return 0;
}

int vt_store(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned size = vt_size_bytes(in->opcode);
	struct vfy_reg val;
	int valno = -1;
	int rc;

	if ((in->opcode & 0xe0) != NYK_MODE_MEM)
		return -EINVAL;
	if ((in->opcode & 7) == NYK_CLASS_STX) {
		valno = (int)nyk_insn_src(in);
		if ((rc = vt_need_init(env, pc, st, (unsigned)valno)) < 0)
			return rc;
		val = st->regs[valno];
	} else {
		vt_set_const(&val, (uint64_t)(int64_t)in->imm, (uint32_t)pc);
	}
	return access(env, pc, st, nyk_insn_dst(in), in->off, size, M_STORE, &val, valno, false, NULL);
}

int vt_atomic(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	unsigned size = vt_size_bytes(in->opcode);
	unsigned dst = nyk_insn_dst(in), src = nyk_insn_src(in);
	const struct vfy_reg *p = &st->regs[dst];
	struct vfy_reg out;
	int rc;

	if ((rc = vt_need_init(env, pc, st, src)) < 0)
		return rc;
	if (in->imm == NYK_ATOMIC_CMPXCHG && (rc = vt_need_init(env, pc, st, 0)) < 0)
		return rc;
	if (!env->privileged) {
		int leak = -1;

		if (vfy_is_ptr(&st->regs[src]))
			leak = (int)src;
		else if (in->imm == NYK_ATOMIC_CMPXCHG && vfy_is_ptr(&st->regs[0]))
			leak = 0;
		if (leak >= 0) {
			vfy_blame(env, leak);
			return vfy_reject(env, pc, "r%d leaks a %s pointer %s", leak, vt_kind(&st->regs[leak]),
					  p->kind == VFY_STACK ? "into the stack" : leak_place(p->kind));
		}
	}
	if ((p->kind == VFY_STACK || p->kind == VFY_MAP_VALUE || p->kind == VFY_MEM) && vv_is_const(&p->v) &&
	    sat_add((int64_t)p->v.val, in->off) % (int64_t)size) {
		vfy_blame(env, (int)dst);
		return vfy_reject(env, pc, "misaligned atomic access off=%lld size=%u",
				  (long long)((int64_t)p->v.val + in->off), size);
	}
	rc = access(env, pc, st, dst, in->off, size, M_ATOMIC, NULL, -1, false, &out);
	if (rc < 0)
		return rc;
	if (in->imm & NYK_ATOMIC_FETCH) {
		unsigned r = in->imm == NYK_ATOMIC_CMPXCHG ? 0 : src;
		vt_set_scalar_size(&st->regs[r], size, false, (uint32_t)pc);
	}
	return 0;
}

int vt_legacy_load(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_insn *in = &env->insns[pc];
	const struct nyk_progtype_desc *d = env->desc;
	const struct vfy_reg *r6 = &st->regs[6];
	unsigned size = vt_size_bytes(in->opcode);
	int rc;

	if (!d || !(d->flags & NYK_PT_LEGACY_PACKET))
		return vfy_reject(env, pc, "legacy packet loads (ld_abs/ld_ind) are not allowed in %s programs",
				  d && d->name ? d->name : "these");
	if ((rc = vt_need_init(env, pc, st, 6)) < 0)
		return rc;
	if (r6->kind != VFY_CTX || !vv_is_const(&r6->v) || r6->v.val != 0) {
		vfy_blame(env, 6);
		return vfy_reject(env, pc, "legacy packet loads need the context in r6, got %s", vt_kind(r6));
	}
	if ((in->opcode & 0xe0) == NYK_MODE_IND) {
		unsigned src = nyk_insn_src(in);

		if ((rc = vt_need_init(env, pc, st, src)) < 0)
			return rc;
		if (st->regs[src].kind != VFY_SCALAR) {
			vfy_blame(env, (int)src);
			return vfy_reject(env, pc, "r%u is a %s pointer: ld_ind wants a scalar offset", src,
					  vt_kind(&st->regs[src]));
		}
	}
	/* A failing legacy load ends the program with 0: nothing may be held then. */
	if (st->nrefs > 0)
		return vfy_reject(env, pc, "reference from insn %u (%s) is not released before a legacy packet load, "
				  "which may end the program", st->refs[0] - 1, vt_ref_helper_name(env, st->refs[0] - 1));
	if (st->lock)
		return vfy_reject(env, pc, "legacy packet load while holding a spin lock");
	for (unsigned r = 1; r <= 5; r++)
		vt_set_uninit(&st->regs[r]);
	vt_set_scalar_size(&st->regs[0], size, false, (uint32_t)pc);
	return 0;
}

/* ---- memory given to helpers ------------------------------------------------------------ */

int64_t vt_mem_avail(const struct vfy_env *env, const struct vfy_state *st, const struct vfy_reg *r)
{
	int64_t end;
	const struct nyk_map_def *def;

	switch (r->kind) {
	case VFY_STACK:
		if (r->frame >= st->nframes)
			return -1;
		end = 0;
		break;
	case VFY_PKT:
	case VFY_PKT_META:
		/* The range counts from the pointer. */
		return r->v.smin >= 0 && r->range > 0 ? r->range : 0;
	case VFY_MAP_VALUE:
		if (!(def = vt_map(env, r->map)))
			return -1;
		end = def->value_size;
		break;
	case VFY_MEM:
		end = r->size;
		break;
	default:
		return -1;
	}
	if (r->v.smax > end || r->v.smax < -VT_MAX_VAR)
		return 0;
	return end - r->v.smax;
}

int vt_mem_region(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned regno, uint64_t size, bool write)
{
	struct vfy_reg p = st->regs[regno];
	struct vfy_frame *f = NULL;
	int64_t lo, hi;
	int rc;

	switch (p.kind) {
	case VFY_STACK:
	case VFY_PKT:
	case VFY_PKT_META:
	case VFY_MAP_VALUE:
	case VFY_MEM:
		break;
	default:
		return 1;
	}
	if (size == 0)
		return 0;
	switch (p.kind) {
	case VFY_PKT:
	case VFY_PKT_META:
		return pkt_check(env, pc, &p, regno, 0, size, write);
	case VFY_MAP_VALUE:
		return mapval_check(env, pc, &p, regno, 0, size, write ? M_STORE : M_LOAD, false);
	case VFY_MEM:
		return mem_check(env, pc, &p, regno, 0, size, write ? M_STORE : M_LOAD);
	default:
		break;
	}
	if ((rc = stack_access(env, pc, st, &p, regno, 0, size, &f, &lo, &hi)) < 0)
		return rc;
	if (!write)
		return stack_read_check(env, pc, f, regno, lo, hi, size, true);
	if (lo != hi) {
		stack_clobber(env, f, lo, hi + (int64_t)size, 0, 0);
		return 0;
	}
	/* The helper fills the buffer (zeroing it when it fails, as the kernel's do). */
	stack_clobber(env, f, lo, lo + (int64_t)size, lo, lo + (int64_t)size);
	for (int64_t o = lo; o < lo + (int64_t)size; o++)
		set_init(f, o, true);
	return 0;
}
