/*
 * transfer_call.c - a helper call (call src 0) on an abstract state:
 * which helper, whether the program's type may call it and user space
 * has it, each argument against the prototype (nyuki/verifier.h, enum
 * nyk_arg_type), then the call's effects: references taken and
 * released, the spin lock, packet pointers invalidated, r1-r5 clobbered,
 * r0 as the prototype returns, and for bpf_loop / for_each_map_elem the
 * callback the engine must analyse.
 *
 * References are named by the reserving call: ref = its pc + 1, so a
 * leak report can name the instruction. A reservation at a call whose
 * previous reservation is still held is refused (it would be a second
 * reference with the same name).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "verifier/transfer_internal.h"

enum { HELPER_TAIL_CALL = 12, HELPER_MAP_POP = 88, HELPER_MAP_PEEK = 89, HELPER_SPIN_LOCK = 93,
       HELPER_SPIN_UNLOCK = 94, HELPER_FOR_EACH = 164, HELPER_LOOP = 181 };

/* bpf_loop runs at most this many iterations (the kernel's BPF_MAX_LOOPS). */
#define MAX_LOOPS (1u << 23)

struct call {
	struct vfy_env *env;
	size_t pc;
	struct vfy_state *st;
	const struct nyk_helper_proto *p;
	uint32_t id;
	const char *name;
	int map_reg;          /* register of the CONST_MAP_PTR argument, -1: none */
	uint32_t map;         /* its reg.map */
	int64_t alloc_size;   /* CONST_ALLOC_SIZE, -1: none */
	uint32_t release;     /* reference an ALLOC_MEM argument releases */
	uint32_t lock;        /* lock id of a SPIN_LOCK argument */
	int func_reg;         /* register of the FUNC argument, -1: none */
	int ctx_reg;          /* register of a STACK_OR_NULL argument, -1: none */
};

static const char *map_type_name(uint32_t type)
{
	switch (type) {
	case NYK_MAP_HASH: return "hash";
	case NYK_MAP_ARRAY: return "array";
	case NYK_MAP_PROG_ARRAY: return "prog_array";
	case NYK_MAP_PERF_EVENT_ARRAY: return "perf_event_array";
	case NYK_MAP_PERCPU_HASH: return "percpu_hash";
	case NYK_MAP_PERCPU_ARRAY: return "percpu_array";
	case NYK_MAP_LRU_HASH: return "lru_hash";
	case NYK_MAP_LRU_PERCPU_HASH: return "lru_percpu_hash";
	case NYK_MAP_LPM_TRIE: return "lpm_trie";
	case NYK_MAP_ARRAY_OF_MAPS: return "array_of_maps";
	case NYK_MAP_HASH_OF_MAPS: return "hash_of_maps";
	case NYK_MAP_QUEUE: return "queue";
	case NYK_MAP_STACK: return "stack";
	case NYK_MAP_RINGBUF: return "ringbuf";
	default: return "unknown";
	}
}

/* "wants X, got Y": what the register is. */
static const char *got_text(const struct call *c, unsigned regno, char *buf, size_t size)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	char name[64];
	const struct nyk_map_def *def;

	if (r->kind == VFY_MAP_PTR && (def = vt_map(c->env, r->map)) != NULL) {
		snprintf(buf, size, "map %s (%s)", vt_map_name(c->env, r->map, name, sizeof(name)),
			 map_type_name(def->type));
		return buf;
	}
	if (r->kind == VFY_SCALAR && vv_is_const(&r->v)) {
		char vb[48];
		snprintf(buf, size, "scalar %s", vv_print(&r->v, vb, sizeof(vb)));
		return buf;
	}
	snprintf(buf, size, "%s", vt_kind(r));
	return buf;
}

static int wants(struct call *c, unsigned regno, const char *what)
{
	char got[128];

	vfy_blame(c->env, (int)regno);
	return vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: wants %s, got %s", c->name, c->id, regno, what,
			  got_text(c, regno, got, sizeof(got)));
}

static int not_null(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (!(r->flags & VFY_F_NULLABLE))
		return 0;
	vfy_blame(c->env, (int)regno);
	return vfy_reject(c->env, c->pc, "r%u may be NULL (%s); compare it with 0 first", regno, vt_kind(r));
}

/* ---- map arguments ------------------------------------------------------------------ */

/* Map types a helper taking a map accepts (true when there is no rule). */
static bool map_type_ok(uint32_t helper, uint32_t type, const char **want)
{
	switch (helper) {
	case 1: case 2: case 3: case 195:
		*want = "a map with keys (not a ringbuf, queue, stack, perf_event_array or prog_array)";
		return type != NYK_MAP_RINGBUF && type != NYK_MAP_QUEUE && type != NYK_MAP_STACK &&
		       type != NYK_MAP_PERF_EVENT_ARRAY && type != NYK_MAP_PROG_ARRAY;
	case HELPER_TAIL_CALL:
		*want = "a prog_array map";
		return type == NYK_MAP_PROG_ARRAY;
	case 25:
		*want = "a perf_event_array map";
		return type == NYK_MAP_PERF_EVENT_ARRAY;
	case 87: case HELPER_MAP_POP: case HELPER_MAP_PEEK:
		*want = "a queue or stack map";
		return type == NYK_MAP_QUEUE || type == NYK_MAP_STACK;
	case 130: case 131: case 134:
		*want = "a ringbuf map";
		return type == NYK_MAP_RINGBUF;
	case HELPER_FOR_EACH:
		*want = "an array or hash map";
		return type == NYK_MAP_ARRAY || type == NYK_MAP_PERCPU_ARRAY || type == NYK_MAP_HASH ||
		       type == NYK_MAP_PERCPU_HASH || type == NYK_MAP_LRU_HASH || type == NYK_MAP_LRU_PERCPU_HASH;
	default:
		return true;
	}
}

static int arg_map(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	const struct nyk_map_def *def;
	const char *want = "a map";
	int rc;

	if (r->kind == VFY_MAP_PTR && (rc = not_null(c, regno)) < 0)
		return rc;
	if (r->kind != VFY_MAP_PTR || !(def = vt_map(c->env, r->map)))
		return wants(c, regno, c->id == HELPER_TAIL_CALL ? "a prog_array map" : "a map");
	if (!map_type_ok(c->id, def->type, &want))
		return wants(c, regno, want);
	c->map_reg = (int)regno;
	c->map = r->map;
	return 0;
}

/* A map key or value the helper reads (or, for pop/peek, writes). */
static int arg_map_mem(struct call *c, unsigned regno, bool key)
{
	const struct nyk_map_def *def = c->map_reg >= 0 ? vt_map(c->env, c->map) : NULL;
	bool write = !key && (c->id == HELPER_MAP_POP || c->id == HELPER_MAP_PEEK);
	char what[96];
	uint32_t size;
	int rc;

	if (!def)
		return vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: no map argument before it", c->name, c->id,
				  regno);
	size = key ? def->key_size : def->value_size;
	snprintf(what, sizeof(what), "a pointer to the map %s (%u bytes)", key ? "key" : "value", size);
	if ((rc = not_null(c, regno)) < 0)
		return rc;
	rc = vt_mem_region(c->env, c->pc, c->st, regno, size, write);
	return rc == 1 ? wants(c, regno, what) : rc;
}

/* ---- memory and sizes ------------------------------------------------------------------ */

static int size_reject(struct call *c, unsigned regno, const char *how)
{
	char vb[96];

	vfy_blame(c->env, (int)regno);
	return vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: size r%u=%s may be %s", c->name, c->id, regno,
			  regno, vv_print(&c->st->regs[regno].v, vb, sizeof(vb)), how);
}

/* A memory argument in `regno` whose size is in regno + 1 (with its argument type `st`). */
static int arg_mem(struct call *c, unsigned regno, unsigned type, unsigned stype)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	unsigned sreg = regno + 1;
	const struct vfy_reg *s;
	bool write = type == NYK_ARG_UNINIT_MEM;
	bool or_null = type == NYK_ARG_MEM_OR_NULL;
	const char *what = write ? "a pointer to writable memory" :
			   or_null ? "a pointer to readable memory or NULL" : "a pointer to readable memory";
	int64_t avail;
	int rc;

	if (stype != NYK_ARG_CONST_SIZE && stype != NYK_ARG_CONST_SIZE_OR_ZERO)
		return vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: the prototype gives no size after it",
				  c->name, c->id, regno);
	if (sreg > 5)
		return vfy_reject(c->env, c->pc, "%s (helper %u): malformed prototype", c->name, c->id);
	if ((rc = vt_need_init(c->env, c->pc, c->st, sreg)) < 0)
		return rc;
	s = &c->st->regs[sreg];
	if (s->kind != VFY_SCALAR)
		return wants(c, sreg, "a size");
	if (s->v.smin < 0)
		return size_reject(c, sreg, "negative");
	if (s->v.umax > (uint64_t)VT_MAX_VAR)
		return size_reject(c, sreg, "unbounded");
	if (s->v.umin == 0 && stype == NYK_ARG_CONST_SIZE)
		return size_reject(c, sreg, "0");
	if (or_null && vt_is_zero(r))
		return 0;
	if (!or_null && (rc = not_null(c, regno)) < 0)
		return rc;
	avail = vt_mem_avail(c->env, c->st, r);
	if (avail < 0) {
		if (s->v.umax == 0 && vt_is_zero(r))
			return 0;   /* no bytes at NULL */
		return wants(c, regno, what);
	}
	if ((int64_t)s->v.umax > avail)
		return size_reject(c, sreg, "larger than the memory");
	rc = vt_mem_region(c->env, c->pc, c->st, regno, s->v.umax, write);
	return rc == 1 ? wants(c, regno, what) : rc;
}

/* ---- the other argument types ------------------------------------------------------------ */

static int arg_scalar(struct call *c, unsigned regno)
{
	return c->st->regs[regno].kind == VFY_SCALAR ? 0 : wants(c, regno, "a scalar");
}

static int arg_anything(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (!vfy_is_ptr(r) || c->env->privileged)
		return 0;
	vfy_blame(c->env, (int)regno);
	return vfy_reject(c->env, c->pc, "r%u leaks a %s pointer to a helper", regno, vt_kind(r));
}

static int arg_ctx(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (r->kind == VFY_CTX && vv_is_const(&r->v) && r->v.val == 0)
		return 0;
	return wants(c, regno, "the context pointer, unmodified");
}

static int arg_func(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (r->kind != VFY_FUNC || !vv_is_const(&r->v) || r->v.val >= c->env->count)
		return wants(c, regno, "a function (lddw of a function)");
	c->func_reg = (int)regno;
	return 0;
}

static int arg_stack_or_null(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (!vt_is_zero(r) && (r->kind != VFY_STACK || (r->flags & VFY_F_NULLABLE)))
		return wants(c, regno, "a stack pointer or NULL");
	c->ctx_reg = (int)regno;
	return 0;
}

static int arg_alloc_size(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];

	if (r->kind != VFY_SCALAR || !vv_is_const(&r->v))
		return wants(c, regno, "a constant size");
	if (r->v.val > (uint64_t)VT_MAX_VAR)
		return size_reject(c, regno, "unbounded");
	c->alloc_size = (int64_t)r->v.val;
	return 0;
}

static int arg_alloc_mem(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	int rc;

	if ((rc = not_null(c, regno)) < 0)
		return rc;
	if (r->kind != VFY_MEM || !(r->flags & VFY_F_REF) || !r->ref || !vv_is_const(&r->v) || r->v.val != 0 ||
	    !vt_ref_held(c->st, r->ref))
		return wants(c, regno, "memory from a reservation, unmodified");
	c->release = r->ref;
	return 0;
}

static int arg_spin_lock(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	const struct nyk_map_def *def = r->kind == VFY_MAP_VALUE ? vt_map(c->env, r->map) : NULL;
	int rc;

	if ((rc = not_null(c, regno)) < 0)
		return rc;
	if (!def || !vv_is_const(&r->v))
		return wants(c, regno, "a pointer to the bpf_spin_lock in a map value");
	/*
	 * With the lock's place known (BTF), exactly there; without, any
	 * aligned 4 bytes inside the value (what the helper touches).
	 */
	if (def->has_spin_lock ? r->v.val != def->spin_lock_off
			       : r->v.val % 4 || r->v.val + 4 > def->value_size)
		return wants(c, regno, "a pointer to the bpf_spin_lock in a map value");
	/* The lock's name: the value's id when it has one, else its (global) map. */
	c->lock = r->id ? r->id : (0x40000000u | (r->map & 0x3fffffffu));
	return 0;
}

static int arg_const_str(struct call *c, unsigned regno)
{
	const struct vfy_reg *r = &c->st->regs[regno];
	const struct nyk_map_def *def = r->kind == VFY_MAP_VALUE ? vt_map(c->env, r->map) : NULL;

	if (!def || (r->flags & VFY_F_NULLABLE) || !((r->flags & VFY_F_RDONLY) || (def->map_flags & NYK_F_RDONLY_PROG)) ||
	    !vv_is_const(&r->v) || r->v.val >= def->value_size)
		return wants(c, regno, "a constant string in a read-only map value");
	return 0;
}

static int arg_long(struct call *c, unsigned regno)
{
	int rc;

	if ((rc = not_null(c, regno)) < 0)
		return rc;
	rc = vt_mem_region(c->env, c->pc, c->st, regno, 8, true);
	return rc == 1 ? wants(c, regno, "a pointer to 8 writable bytes") : rc;
}

static int check_args(struct call *c)
{
	const struct nyk_helper_proto *p = c->p;
	int rc = 0;

	for (unsigned i = 0; i < 5 && p->args[i] != NYK_ARG_NONE; i++) {
		unsigned regno = i + 1, t = p->args[i];

		long rel = vt_released_at(c->env, &c->st->regs[regno]);

		if (rel >= 0) {
			vfy_blame(c->env, (int)regno);
			return vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: r%u points to memory released at insn %ld",
					  c->name, c->id, regno, regno, rel);
		}
		if ((rc = vt_need_init(c->env, c->pc, c->st, regno)) < 0)
			return rc;
		switch (t) {
		case NYK_ARG_ANYTHING: rc = arg_anything(c, regno); break;
		case NYK_ARG_SCALAR: rc = arg_scalar(c, regno); break;
		case NYK_ARG_CONST_MAP_PTR: rc = arg_map(c, regno); break;
		case NYK_ARG_MAP_KEY: rc = arg_map_mem(c, regno, true); break;
		case NYK_ARG_MAP_VALUE: rc = arg_map_mem(c, regno, false); break;
		case NYK_ARG_MEM:
		case NYK_ARG_MEM_OR_NULL:
		case NYK_ARG_UNINIT_MEM:
			rc = arg_mem(c, regno, t, i + 1 < 5 ? p->args[i + 1] : NYK_ARG_NONE);
			i++;   /* the size was checked with it */
			break;
		case NYK_ARG_CONST_SIZE:
		case NYK_ARG_CONST_SIZE_OR_ZERO:
			/* A size without memory before it: still a bounded scalar. */
			rc = arg_scalar(c, regno);
			break;
		case NYK_ARG_CTX: rc = arg_ctx(c, regno); break;
		case NYK_ARG_FUNC: rc = arg_func(c, regno); break;
		case NYK_ARG_STACK_OR_NULL: rc = arg_stack_or_null(c, regno); break;
		case NYK_ARG_CONST_ALLOC_SIZE: rc = arg_alloc_size(c, regno); break;
		case NYK_ARG_ALLOC_MEM: rc = arg_alloc_mem(c, regno); break;
		case NYK_ARG_SPIN_LOCK: rc = arg_spin_lock(c, regno); break;
		case NYK_ARG_CONST_STR: rc = arg_const_str(c, regno); break;
		case NYK_ARG_PTR_TO_LONG: rc = arg_long(c, regno); break;
		default:
			rc = vfy_reject(c->env, c->pc, "%s (helper %u) argument %u: unknown argument type %u", c->name,
					c->id, regno, t);
			break;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- effects ---------------------------------------------------------------------------- */

static void invalidate_pkt(struct vfy_reg *r, void *arg)
{
	(void)arg;
	if (r->kind == VFY_PKT || r->kind == VFY_PKT_END || r->kind == VFY_PKT_META)
		vt_set_scalar(r, r->def_pc);
	vt_forget_slack(r);   /* relative to the old data and data_end */
}

struct release {
	uint32_t ref;
	bool privileged;
	uint32_t pc;
};

/*
 * Released memory: unreadable; in privileged mode a number (the kernel's
 * mark_reg_invalid). The unreadable register keeps the releasing call as
 * its definition, so that a later use can say what happened
 * (vt_released_at).
 */
static void release_ref(struct vfy_reg *r, void *arg)
{
	const struct release *rel = arg;

	if (!(r->flags & VFY_F_REF) || r->ref != rel->ref)
		return;
	if (rel->privileged) {
		vt_set_scalar(r, r->def_pc);
	} else {
		vt_set_uninit(r);
		r->def_pc = rel->pc;
	}
}

/* r0 after the call. */
static int set_result(struct call *c, struct vfy_reg *r0)
{
	const struct nyk_map_def *def;
	char name[64];

	vt_set_scalar(r0, (uint32_t)c->pc);
	switch (c->p->ret) {
	case NYK_RET_VOID:
		vt_set_uninit(r0);
		return 0;
	case NYK_RET_MAP_VALUE_OR_NULL:
		def = c->map_reg >= 0 ? vt_map(c->env, c->map) : NULL;
		if (!def)
			return 0;
		if (def->type == NYK_MAP_ARRAY_OF_MAPS || def->type == NYK_MAP_HASH_OF_MAPS) {
			if ((c->map & VT_MAP_INNER) || !def->inner)
				return vfy_reject(c->env, c->pc, "%s (helper %u): maps nested in %s are not supported",
						  c->name, c->id, vt_map_name(c->env, c->map, name, sizeof(name)));
			r0->kind = VFY_MAP_PTR;
			r0->map = c->map | VT_MAP_INNER;
		} else {
			r0->kind = VFY_MAP_VALUE;
			r0->map = c->map;
			if (def->map_flags & NYK_F_RDONLY_PROG)
				r0->flags |= VFY_F_RDONLY;
		}
		r0->flags |= VFY_F_NULLABLE;
		r0->id = vfy_new_id(c->env);
		vv_const(&r0->v, 0);
		return 0;
	case NYK_RET_ALLOC_MEM_OR_NULL: {
		uint32_t ref = (uint32_t)c->pc + 1;

		if (c->alloc_size < 0)
			return vfy_reject(c->env, c->pc, "%s (helper %u): the prototype gives no size to allocate", c->name,
					  c->id);
		if (vt_ref_held(c->st, ref))
			return vfy_reject(c->env, c->pc, "reference from insn %zu (%s) is not released before it is taken "
					  "again", c->pc, c->name);
		if (c->st->nrefs >= VFY_MAX_REFS)
			return vfy_reject(c->env, c->pc, "more than %d references held at once", VFY_MAX_REFS);
		c->st->refs[c->st->nrefs++] = ref;
		r0->kind = VFY_MEM;
		r0->flags = VFY_F_NULLABLE | VFY_F_REF;
		r0->ref = ref;
		r0->id = vfy_new_id(c->env);
		r0->size = (uint32_t)c->alloc_size;
		vv_const(&r0->v, 0);
		return 0;
	}
	default: /* INTEGER; MEM_OR_NULL: a per-CPU address, only a number here */
		return 0;
	}
}

/* What the callback receives (env->callback). */
static void set_callback(struct call *c, const struct vfy_state *before)
{
	struct vfy_env *env = c->env;
	const struct nyk_map_def *def = c->map_reg >= 0 ? vt_map(env, c->map) : NULL;
	struct vfy_reg *a = env->callback.args;

	env->callback.func = (uint32_t)before->regs[c->func_reg].v.val;
	env->callback.ret_min = c->p->cb_ret_min;
	env->callback.ret_max = c->p->cb_ret_max;
	for (unsigned i = 0; i < 5; i++)
		vt_set_uninit(&a[i]);
	if (c->id == HELPER_LOOP) {
		const struct vfy_reg *n = &before->regs[1];
		uint64_t hi = n->v.umax < MAX_LOOPS ? n->v.umax : MAX_LOOPS;

		vt_set_scalar(&a[0], (uint32_t)c->pc);
		vv_urange(&a[0].v, 0, hi ? hi - 1 : 0);
		if (c->ctx_reg >= 0)
			a[1] = before->regs[c->ctx_reg];
		return;
	}
	if (c->id == HELPER_FOR_EACH && def) {
		a[0] = before->regs[c->map_reg];
		vt_set_const(&a[1], 0, (uint32_t)c->pc);
		a[1].kind = VFY_MEM;
		a[1].flags = VFY_F_RDONLY;
		a[1].size = def->key_size;
		vt_set_const(&a[2], 0, (uint32_t)c->pc);
		a[2].kind = VFY_MAP_VALUE;
		a[2].map = c->map;
		if (def->map_flags & NYK_F_RDONLY_PROG)
			a[2].flags |= VFY_F_RDONLY;
		if (c->ctx_reg >= 0)
			a[3] = before->regs[c->ctx_reg];
		return;
	}
	/* Another helper's callback: scalars, the context argument last. */
	for (unsigned i = 0; i < c->p->cb_nargs && i < 5; i++)
		vt_set_scalar(&a[i], (uint32_t)c->pc);
	if (c->ctx_reg >= 0 && c->p->cb_nargs > 0 && c->p->cb_nargs <= 5)
		a[c->p->cb_nargs - 1] = before->regs[c->ctx_reg];
}

static int check_callable(struct call *c, bool embedder)
{
	struct vfy_env *env = c->env;
	const struct nyk_progtype_desc *d = env->desc;
	bool extra = false;

	if (embedder)
		return 0;
	for (size_t i = 0; d && d->extra_helpers && i < d->nextra_helpers; i++)
		if (d->extra_helpers[i].id == c->id)
			extra = true;
	if (!nyk_progtype_helper_allowed(env->type, c->id))
		return vfy_reject(env, c->pc, "helper %u (%s) is not allowed in %s programs", c->id, c->name,
				  d && d->name ? d->name : "these");
	if (!extra && !(env->opts && (env->opts->flags & NYK_VERIFY_KERNEL_HELPERS)) && !nyk_helper_available(c->id))
		return vfy_reject(env, c->pc, "%s (helper %u) is not available in user space", c->name, c->id);
	return 0;
}

int vt_call(struct vfy_env *env, size_t pc, struct vfy_state *st)
{
	const struct nyk_verify_opts *o = env->opts;
	struct call c = { .env = env, .pc = pc, .st = st, .map_reg = -1, .alloc_size = -1, .func_reg = -1,
			  .ctx_reg = -1 };
	bool embedder = false;
	struct vfy_state *before = NULL;
	struct vfy_reg r0;
	int rc;

	c.id = (uint32_t)env->insns[pc].imm;
	if (o && o->helper_proto && (c.p = o->helper_proto(o->user, c.id)) != NULL)
		embedder = true;
	else
		c.p = nyk_helper_proto(c.id);
	if (!c.p)
		return vfy_reject(env, pc, "unknown helper %u", c.id);
	c.name = c.p->name ? c.p->name : "helper";
	if ((rc = check_callable(&c, embedder)) < 0)
		return rc;
	if (st->lock && c.id != HELPER_SPIN_UNLOCK)
		return vfy_reject(env, pc, "helper %s called while holding a spin lock", c.name);
	if ((rc = check_args(&c)) < 0)
		return rc;

	if (c.p->flags & NYK_PROTO_TAIL_CALL && st->nrefs > 0)
		return vfy_reject(env, pc, "reference from insn %u (%s) is not released before exit", st->refs[0] - 1,
				  vt_ref_helper_name(env, st->refs[0] - 1));
	if (c.id == HELPER_SPIN_LOCK) {
		st->lock = c.lock;
	} else if (c.id == HELPER_SPIN_UNLOCK) {
		if (st->lock != c.lock) {
			vfy_blame(env, 1);
			return vfy_reject(env, pc, "%s (helper %u) argument 1: that lock is not held", c.name, c.id);
		}
		st->lock = 0;
	}
	if (c.release) {
		vt_ref_drop(st, c.release);
		struct release rel = { c.release, env->privileged, (uint32_t)pc };

		vt_for_each_reg(st, release_ref, &rel);
		vt_drop_dead_spills(st);
	}
	if (c.p->flags & NYK_PROTO_CALLBACK) {
		if (c.func_reg < 0)
			return vfy_reject(env, pc, "%s (helper %u): the prototype has no callback argument", c.name, c.id);
		/* The callback sees the registers as they were at the call. */
		before = st;
		set_callback(&c, before);
	}
	if ((rc = set_result(&c, &r0)) < 0)
		return rc;
	if (c.p->flags & NYK_PROTO_PKT_CHANGED)
		vt_for_each_reg(st, invalidate_pkt, NULL);
	for (unsigned r = 1; r <= 5; r++)
		vt_set_uninit(&st->regs[r]);
	st->regs[0] = r0;
	return (c.p->flags & NYK_PROTO_CALLBACK) ? VFY_CALLBACK : 0;
}
