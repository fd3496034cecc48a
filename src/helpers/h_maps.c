/*
 * h_maps.c - helpers on maps: lookup/update/delete, queues and stacks,
 * ring buffers, perf output, bpf_for_each_map_elem, spin locks, and
 * bpf_tail_call (a prog_array lookup that ends the program).
 *
 * A map argument is a struct nyk_map pointer the program got from an lddw
 * (or from a map-in-map lookup). Checked runs accept only the maps of the
 * run's object and inner maps the run has looked up; unchecked runs trust
 * the pointer. Keys and values are checked against the run's memory.
 */
#include <errno.h>
#include <string.h>

#include "helpers/helpers_internal.h"
#include "progtypes/runtime.h"

#define F_INDEX_MASK 0xffffffffull          /* BPF_F_INDEX_MASK */
#define F_CTXLEN_MASK (0xfffffull << 32)    /* BPF_F_CTXLEN_MASK */

static void remember_inner(struct rt_run *run, struct nyk_map *inner)
{
	for (size_t i = 0; i < run->ninner; i++)
		if (run->inner[i] == inner)
			return;
	if (run->ninner < sizeof(run->inner) / sizeof(run->inner[0]))
		run->inner[run->ninner++] = inner;
}

/* The map a program passed, or NULL when it is not one the run may use. */
static struct nyk_map *map_of(struct nyk_exec *exec, uint64_t v)
{
	struct nyk_map *m = helper_ptr(v);
	struct rt_run *run;

	if (!m)
		return NULL;
	if (!nyk_exec_checked(exec))
		return m;
	if (!(run = rt_run_of(exec)))
		return NULL;
	for (size_t i = 0, n = nyk_object_map_count(run->obj); i < n; i++)
		if (nyk_object_map(run->obj, i) == m)
			return m;
	for (size_t i = 0; i < run->ninner; i++)
		if (run->inner[i] == m)
			return m;
	return NULL;
}

static int is_map_of_maps(const struct nyk_map_def *def)
{
	return def->type == NYK_MAP_ARRAY_OF_MAPS || def->type == NYK_MAP_HASH_OF_MAPS;
}

/* bpf_map_lookup_elem(map, key): the value in place, or NULL. */
static uint64_t lookup(struct nyk_exec *exec, uint64_t mv, uint64_t key, unsigned cpu)
{
	struct nyk_map *map = map_of(exec, mv);
	const struct nyk_map_def *def;
	void *p;

	if (!map)
		return 0;
	def = nyk_map_get_def(map);
	if (!helper_mem_ok(exec, key, def->key_size, NYK_MEM_READ))
		return 0;
	p = nyk_map_lookup_elem_ptr(map, helper_ptr(key), cpu);
	if (p && is_map_of_maps(def)) {
		struct rt_run *run = rt_run_of(exec);
		if (run)
			remember_inner(run, p);
	}
	return (uint64_t)(uintptr_t)p;
}

HELPER(map_lookup_elem)
{
	return lookup(exec, r1, r2, 0);
}

/* bpf_map_lookup_percpu_elem(map, key, cpu): NULL for a CPU the map does not have. */
HELPER(map_lookup_percpu_elem)
{
	struct nyk_map *map = map_of(exec, r1);
	const struct nyk_map_def *def;
	size_t per;

	if (!map)
		return 0;
	def = nyk_map_get_def(map);
	per = (def->value_size + 7u) & ~7u;
	if (per && (uint32_t)r3 >= nyk_map_value_size_user(map) / per)
		return 0;
	return lookup(exec, r1, r2, (uint32_t)r3);
}

HELPER(map_update_elem)
{
	struct nyk_map *map = map_of(exec, r1);
	const struct nyk_map_def *def;

	if (!map)
		return helper_err(EINVAL);
	def = nyk_map_get_def(map);
	if (!helper_mem_ok(exec, r2, def->key_size, NYK_MEM_READ) ||
	    !helper_mem_ok(exec, r3, def->value_size, NYK_MEM_READ))
		return helper_err(EFAULT);
	return (uint64_t)(int64_t)nyk_map_update_elem(map, helper_ptr(r2), helper_ptr(r3), r4, 0);
}

HELPER(map_delete_elem)
{
	struct nyk_map *map = map_of(exec, r1);

	if (!map)
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r2, nyk_map_get_def(map)->key_size, NYK_MEM_READ))
		return helper_err(EFAULT);
	return (uint64_t)(int64_t)nyk_map_delete_elem(map, helper_ptr(r2));
}

HELPER(map_push_elem)
{
	struct nyk_map *map = map_of(exec, r1);

	if (!map)
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r2, nyk_map_get_def(map)->value_size, NYK_MEM_READ))
		return helper_err(EFAULT);
	return (uint64_t)(int64_t)nyk_map_push(map, helper_ptr(r2), r3);
}

static uint64_t pop_or_peek(struct nyk_exec *exec, uint64_t mv, uint64_t value, int pop)
{
	struct nyk_map *map = map_of(exec, mv);

	if (!map)
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, value, nyk_map_get_def(map)->value_size, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	return (uint64_t)(int64_t)(pop ? nyk_map_pop(map, helper_ptr(value)) : nyk_map_peek(map, helper_ptr(value)));
}

HELPER(map_pop_elem) { return pop_or_peek(exec, r1, r2, 1); }
HELPER(map_peek_elem) { return pop_or_peek(exec, r1, r2, 0); }

/* ---- tail calls ------------------------------------------------------------------ */

/*
 * bpf_tail_call(ctx, prog_array, index): on success from the entry
 * function the program ends and the run continues with the target on the
 * same context (the run loop of nyk_program_test_run follows
 * run->tail_target); from a subprogram the target runs now, nested, and
 * replaces only the subprogram's frame (nyk_exec_tail_call). On failure
 * the program goes on. As the kernel: an index out of range fails first,
 * then a run that made 33 tail calls; the count grows before the slot is
 * read, and it is the run's, shared by the nested targets.
 */
HELPER(tail_call)
{
	struct rt_run *run = rt_run_of(exec);
	struct nyk_map *map = map_of(exec, r2);
	struct rt_prog *target, *caller;
	uint32_t prog;
	int rc;

	if (!run || !map || r1 != (uint64_t)(uintptr_t)run->ctx || nyk_map_get_def(map)->type != NYK_MAP_PROG_ARRAY)
		return helper_err(EINVAL);
	rc = nyk_map_prog_array_get(map, (uint32_t)r3, &prog);
	if (rc == -E2BIG)
		return helper_err(E2BIG);
	if (run->tail_calls >= RT_MAX_TAIL_CALLS)
		return helper_err(ENOENT);
	run->tail_calls++;
	if (rc < 0)
		return helper_err(ENOENT);
	if (!(target = rt_prog_of_index(run, prog))) {
		if (run->tail_failed)   /* the target exists but cannot run: say why */
			return (uint64_t)(int64_t)nyk_exec_fail(exec, run->tail_err.code ? run->tail_err.code : -EINVAL,
								 "tail call to program %u: %s", prog, run->tail_err.message);
		return helper_err(ENOENT);
	}
	if (target->type != run->cur->type)
		return helper_err(EINVAL);
	caller = run->cur;
	run->cur = target;   /* the target's helpers see their own program */
	rc = rt_setup_regions(target, run, &run->tail_err);
	if (rc < 0)
		rc = nyk_exec_fail(exec, rc, "tail call to program %u: %s", prog, run->tail_err.message);
	else
		rc = nyk_exec_tail_call(exec, target->vm);   /* a subprogram: runs it now */
	run->cur = caller;
	if (rc)
		return (uint64_t)(int64_t)(rc < 0 ? rc : 0);
	run->tail_target = target;   /* the entry function: the run ends, the run loop follows */
	nyk_exec_stop(exec, 0);
	return 0;
}

/* ---- bpf_for_each_map_elem ------------------------------------------------------------- */

struct each {
	struct nyk_exec *exec;
	struct nyk_map *map;
	uint64_t cb, cb_ctx;
	uint8_t *scratch;        /* where keys are copied for the callback, or NULL */
	size_t key_size;
	int stopped;
};

static int each_elem(void *ctx, const void *key, void *value)
{
	struct each *e = ctx;
	uint64_t args[5], ret = 0;
	const void *k = key;
	int rc;

	if (e->scratch) {
		memcpy(e->scratch, key, e->key_size);
		k = e->scratch;
	}
	args[0] = (uint64_t)(uintptr_t)e->map;
	args[1] = (uint64_t)(uintptr_t)k;
	args[2] = (uint64_t)(uintptr_t)value;
	args[3] = e->cb_ctx;
	args[4] = 0;
	rc = nyk_exec_call(e->exec, e->cb, args, &ret);
	if (rc) {
		e->stopped = 1;
		return 1;
	}
	return ret != 0;
}

/* bpf_for_each_map_elem(map, callback, ctx, flags): callback(map, &key, &value, ctx) per element. */
HELPER(for_each_map_elem)
{
	struct rt_run *run = rt_run_of(exec);
	struct nyk_map *map = map_of(exec, r1);
	struct each e = { exec, map, r2, r3, NULL, 0, 0 };
	long n;

	if (!map || r4)
		return helper_err(EINVAL);
	e.key_size = nyk_map_get_def(map)->key_size;
	if (run && run->cur->scratch) {
		/* Keys live in the run's scratch area (a read-only region), one slot per nesting level. */
		if (e.key_size > run->cur->scratch_stride || run->scratch_depth >= NYK_MAX_CALL_DEPTH)
			return helper_err(E2BIG);
		e.scratch = run->cur->scratch + run->scratch_depth * run->cur->scratch_stride;
		run->scratch_depth++;
	} else if (nyk_exec_checked(exec)) {
		return helper_err(EINVAL);
	}
	n = nyk_map_for_each_elem(map, 0, each_elem, &e);
	if (e.scratch)
		run->scratch_depth--;
	return (uint64_t)(int64_t)n;
}

/* ---- spin locks ------------------------------------------------------------------------- */

/*
 * A program holds one bpf_spin_lock at a time (the verifier's rule). The
 * run remembers it: locking a second one, or unlocking one it does not
 * hold, is ignored rather than hanging or breaking another holder, and a
 * run that ends holding it releases it.
 */
HELPER(spin_lock)
{
	struct rt_run *run = rt_run_of(exec);

	if (!helper_mem_ok(exec, r1, 4, NYK_MEM_READ | NYK_MEM_WRITE) || (r1 & 3))
		return 0;
	if (run) {
		if (run->held_lock)
			return 0;
		run->held_lock = helper_ptr(r1);
	}
	nyk_map_spin_lock(helper_ptr(r1));
	return 0;
}

HELPER(spin_unlock)
{
	struct rt_run *run = rt_run_of(exec);

	if (!helper_mem_ok(exec, r1, 4, NYK_MEM_READ | NYK_MEM_WRITE) || (r1 & 3))
		return 0;
	if (run) {
		if (run->held_lock != helper_ptr(r1))
			return 0;
		run->held_lock = NULL;
	}
	nyk_map_spin_unlock(helper_ptr(r1));
	return 0;
}

/* ---- ring buffers ---------------------------------------------------------------------- */

static struct nyk_map *ringbuf_of(struct nyk_exec *exec, uint64_t v)
{
	struct nyk_map *map = map_of(exec, v);
	return map && nyk_map_get_def(map)->type == NYK_MAP_RINGBUF ? map : NULL;
}

HELPER(ringbuf_output)
{
	struct nyk_map *map = ringbuf_of(exec, r1);

	if (!map)
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r2, r3, NYK_MEM_READ))
		return helper_err(EFAULT);
	return (uint64_t)(int64_t)nyk_ringbuf_output(map, helper_ptr(r2), r3, r4);
}

/*
 * Reserved records are remembered by the run: bpf_ringbuf_submit names
 * only the record, and a checked run must not submit memory that is not
 * one. A run that ends with records reserved has them discarded.
 */
HELPER(ringbuf_reserve)
{
	struct rt_run *run = rt_run_of(exec);
	struct nyk_map *map = ringbuf_of(exec, r1);
	void *p;

	if (!map || (run && run->nrings == RT_MAX_RING_RECORDS) || (!run && nyk_exec_checked(exec)))
		return 0;
	p = nyk_ringbuf_reserve(map, r2, r3);
	if (p && run) {
		run->rings[run->nrings].data = p;
		run->rings[run->nrings].map = map;
		run->nrings++;
	}
	return (uint64_t)(uintptr_t)p;
}

static uint64_t commit(struct nyk_exec *exec, uint64_t data, uint64_t flags, int discard)
{
	struct rt_run *run = rt_run_of(exec);

	if (!run) {
		if (!nyk_exec_checked(exec) && data)
			(discard ? nyk_ringbuf_discard : nyk_ringbuf_submit)(NULL, helper_ptr(data), flags);
		return 0;
	}
	for (size_t i = 0; i < run->nrings; i++)
		if (run->rings[i].data == helper_ptr(data)) {
			struct nyk_map *map = run->rings[i].map;
			run->rings[i] = run->rings[--run->nrings];
			(discard ? nyk_ringbuf_discard : nyk_ringbuf_submit)(map, helper_ptr(data), flags);
			break;
		}
	return 0;
}

HELPER(ringbuf_submit) { return commit(exec, r1, r2, 0); }
HELPER(ringbuf_discard) { return commit(exec, r1, r2, 1); }

HELPER(ringbuf_query)
{
	struct nyk_map *map = ringbuf_of(exec, r1);
	return map ? nyk_ringbuf_query(map, r2) : 0;
}

/*
 * bpf_perf_event_output(ctx, map, flags, data, size). For packet programs
 * the upper bits of flags (BPF_F_CTXLEN_MASK) ask for that many packet
 * bytes after the data.
 */
HELPER(perf_event_output)
{
	struct rt_run *run = rt_run_of(exec);
	struct nyk_map *map = map_of(exec, r2);
	uint64_t ctxlen = (r3 & F_CTXLEN_MASK) >> 32;
	const void *extra = NULL;

	if (!map || nyk_map_get_def(map)->type != NYK_MAP_PERF_EVENT_ARRAY)
		return helper_err(EINVAL);
	if (r3 & ~(F_INDEX_MASK | F_CTXLEN_MASK))
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r4, r5, NYK_MEM_READ))
		return helper_err(EFAULT);
	if (ctxlen) {
		if (!run || !run->data)
			return helper_err(EINVAL);
		if (ctxlen > (uint64_t)(run->data_end - run->data))
			return helper_err(EFAULT);
		extra = run->data;
	}
	return (uint64_t)(int64_t)nyk_perf_event_output(map, r3 & F_INDEX_MASK, 0, helper_ptr(r4), r5, extra, ctxlen);
}
