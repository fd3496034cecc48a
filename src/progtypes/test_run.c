/*
 * test_run.c - nyk_program_test_run: BPF_PROG_TEST_RUN in user space.
 *
 * Each program gets a vm once (struct rt_prog, kept with the program until
 * its object closes): its instructions with context accesses rewritten
 * (ctx_rewrite.c), the helpers its type allows, an lddw resolver for map
 * references (src 5: the map; src 6: the value of a single-entry array map
 * plus an offset: global data). Each call builds the context and packet
 * (ctx_build.c), registers the memory checked runs may touch (map values,
 * the packet, for_each scratch) and runs the program `repeat` times.
 *
 * Programs run on the JIT where this build has one, in the interpreter
 * when the caller asks (NYK_RUN_INTERP). Tail calls: bpf_tail_call
 * records its target and ends the program (nyk_exec_stop, which compiled
 * code honours after every helper call as the interpreter does); the
 * run loop here runs the target on the same context, up to 33 times per
 * run. The context and packet are not reset between repeats, as in the
 * kernel.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loader/object_runtime.h"
#include "nyuki/btf.h"
#include "nyuki/helpers.h"
#include "progtypes/progtype_internal.h"
#include "progtypes/runtime.h"

_Thread_local struct rt_run *rt_current;

static _Atomic uint64_t run_generation;

/* ---- errors -------------------------------------------------------------------------- */

/* Place an error in the program: object file, program and section, source line, instruction. */
static int prog_error(struct nyk_program *prog, struct nyk_error *err, int rc)
{
	char msg[NYK_ERROR_MSG_MAX], src[96] = "";
	struct nyk_line_info li;

	if (!err)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->message);
	if (err->insn >= 0) {
		const struct nyk_core_failure *f;
		size_t n = nyk_program_core_failures(prog, &f);
		for (size_t i = 0; i < n; i++)
			if (f[i].insn == (size_t)err->insn) {
				snprintf(msg, sizeof(msg), "%s", f[i].message);
				break;
			}
	}
	if (err->insn >= 0 && nyk_program_line_info(prog, (size_t)err->insn, &li) == 0 && li.file) {
		const char *base = strrchr(li.file, '/');
		snprintf(src, sizeof(src), "%s:%u: ", base ? base + 1 : li.file, li.line);
	}
	nyk_error_set_file(err, nyk_object_name(nyk_program_object(prog)));
	err->line = 0;
	err->column = 0;
	return nyk_error_set(err, rc, "program '%s' in section '%s': %s%s", nyk_program_name(prog),
			     nyk_program_section(prog), src, msg);
}

/* ---- building a program's vm ----------------------------------------------------------- */

/* lddw of a map (src 5) or of a map value (src 6, single-entry array maps: global data). */
static int resolve_lddw(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
			struct nyk_error *err)
{
	struct rt_prog *rt = user;
	struct nyk_map *map;
	const struct nyk_map_def *def;
	uint32_t key = 0;
	uint8_t *v;

	if (src != NYK_PSEUDO_MAP_IDX && src != NYK_PSEUDO_MAP_IDX_VALUE) {
		if (src == NYK_PSEUDO_BTF_ID)
			return nyk_error_set(err, -ENOTSUP, "lddw of a kernel variable (BTF id %d): there is none in "
					     "user space", imm);
		return nyk_error_set(err, -EINVAL, "lddw with pseudo source %u: the object loader leaves only map "
				     "indexes (5, 6)", src);
	}
	map = imm >= 0 ? nyk_object_map(rt->obj, (size_t)imm) : NULL;
	if (!map)
		return nyk_error_set(err, -EINVAL, "lddw of map %d: the object has no such map", imm);
	if (src == NYK_PSEUDO_MAP_IDX) {
		*value = (uint64_t)(uintptr_t)map;
		return 0;
	}
	def = nyk_map_get_def(map);
	if (def->type != NYK_MAP_ARRAY || def->max_entries != 1)
		return nyk_error_set(err, -EINVAL, "lddw of a value of map '%s': only single-entry array maps have "
				     "a direct value", nyk_object_map_name(rt->obj, (size_t)imm));
	if (next_imm < 0 || (uint32_t)next_imm >= def->value_size)
		return nyk_error_set(err, -EINVAL, "lddw of map '%s' at offset %d: outside its %u-byte value",
				     nyk_object_map_name(rt->obj, (size_t)imm), next_imm, def->value_size);
	v = nyk_map_lookup_elem_ptr(map, &key, 0);
	if (!v)
		return nyk_error_set(err, -EINVAL, "lddw of map '%s': no value", nyk_object_map_name(rt->obj, (size_t)imm));
	*value = (uint64_t)(uintptr_t)(v + next_imm);
	return 0;
}

/* LD_ABS/LD_IND read the packet from its data pointer, as the kernel reads skb->data. */
static void legacy_packet(void *user, void *mem, size_t mem_len, const void **pkt, size_t *pkt_len)
{
	struct rt_run *run = rt_current;

	(void)user;
	(void)mem_len;
	if (run && run->ctx == mem && run->data) {
		*pkt = run->data;
		*pkt_len = (size_t)(run->data_end - run->data);
	} else {
		*pkt = NULL;
		*pkt_len = 0;
	}
}

/* Bytes of the largest key of the object's maps: the for_each scratch slot size. */
static size_t max_key_size(struct nyk_object *obj)
{
	size_t max = 8;

	for (size_t i = 0, n = nyk_object_map_count(obj); i < n; i++) {
		const struct nyk_map_def *d = nyk_object_map_def(obj, i);
		if (d && d->key_size > max)
			max = d->key_size;
		if (d && d->inner && d->inner->key_size > max)
			max = d->inner->key_size;
	}
	return (max + 7) & ~(size_t)7;
}

void rt_prog_free(struct rt_prog *rt)
{
	if (!rt)
		return;
	nyk_vm_destroy(rt->vm);
	free(rt->scratch);
	free(rt);
}

/* The call a failed CO-RE relocation left: running it is the error libbpf's verifier would give. */
static uint64_t core_poison(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *exec)
{
	return (uint64_t)(int64_t)nyk_exec_fail(exec, -EINVAL, "reached an instruction poisoned by a failed CO-RE "
						 "relocation");
}

static void free_runtime(void *rt)
{
	rt_prog_free(rt);
}


/* The vm's mode for the run's flags: checked or not, compiled where there is a JIT unless NYK_RUN_INTERP. */
static int set_mode(struct rt_prog *rt, unsigned mode)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts) };
	int jit = !(mode & NYK_RUN_INTERP) && nyk_vm_jit_available();

	if (rt->vm_loaded && mode == rt->mode)
		return 0;
	opts.flags = (mode & NYK_RUN_UNCHECKED ? NYK_VM_UNCHECKED : 0) | (jit ? NYK_VM_JIT : 0);
	rt->mode = mode;
	rt->regions_gen = 0;
	return nyk_vm_set_opts(rt->vm, &opts);
}

static int build(struct nyk_program *prog, unsigned mode, struct rt_prog **out, struct nyk_error *err)
{
	const struct nyk_progtype *type = nyk_program_type(prog);
	const struct nyk_insn *src;
	struct nyk_insn *insns = NULL;
	struct rt_prog *rt = NULL;
	size_t count;
	int rc;

	if ((rc = nyk_program_runnable(prog, err)))
		return rc;
	src = nyk_program_insns(prog, &count);
	insns = malloc(count ? count * sizeof(*insns) : 1);
	rt = calloc(1, sizeof(*rt));
	if (!insns || !rt) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory preparing program '%s'", nyk_program_name(prog));
		goto fail;
	}
	memcpy(insns, src, count * sizeof(*insns));
	rt->prog = prog;
	rt->obj = nyk_program_object(prog);
	rt->type = type;
	rt->scratch_stride = max_key_size(rt->obj);
	rt->scratch = calloc(NYK_MAX_CALL_DEPTH, rt->scratch_stride);
	rt->vm = nyk_vm_create();
	if (!rt->scratch || !rt->vm) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory preparing program '%s'", nyk_program_name(prog));
		goto fail;
	}
	if (err)
		err->insn = -1;
	if ((rc = nyk_progtype_check_helpers(type, insns, count, err)) ||
	    (rc = nyk_progtype_rewrite_ctx(type, insns, count, err))) {
		rc = prog_error(prog, err, rc);
		goto fail;
	}
	if ((rc = set_mode(rt, mode)) < 0) {
		rc = nyk_error_set(err, rc, "cannot set the vm's mode");
		goto fail;
	}
	if ((rc = nyk_helpers_register(rt->vm, type, err)) ||
	    (rc = nyk_vm_register_helper(rt->vm, NYK_CORE_POISON_HELPER, "core_poison", core_poison, err)))
		goto fail;
	nyk_vm_set_lddw_resolver(rt->vm, resolve_lddw, rt);
	nyk_vm_set_user_data(rt->vm, rt);
	if (type->d.flags & NYK_PT_LEGACY_PACKET)
		nyk_vm_set_packet_fn(rt->vm, legacy_packet, rt);
	if ((rc = nyk_vm_load(rt->vm, insns, count, err))) {
		rc = prog_error(prog, err, rc);
		goto fail;
	}
	rt->vm_loaded = 1;
	free(insns);
	*out = rt;
	return 0;
fail:
	free(insns);
	rt_prog_free(rt);
	return rc;
}

/* The program's cached runtime, built on first use (or again after its type changed). */
static int runtime_of(struct nyk_program *prog, unsigned mode, struct rt_prog **out, struct nyk_error *err)
{
	struct rt_prog *rt = obj_program_runtime(prog);
	int rc;

	if (!rt || rt->type != nyk_program_type(prog)) {
		if ((rc = build(prog, mode, &rt, err)))
			return rc;
		obj_program_set_runtime(prog, rt, free_runtime);
	}
	if ((rc = set_mode(rt, mode)) < 0)
		return prog_error(prog, err, nyk_error_set(err, rc, "cannot switch the vm's mode"));
	*out = rt;
	return 0;
}

struct rt_prog *rt_prog_of_index(struct rt_run *run, uint32_t index)
{
	struct nyk_program *prog = nyk_object_program(run->obj, index);
	struct rt_prog *rt;

	run->tail_failed = 0;
	if (!prog)
		return NULL;
	nyk_error_clear(&run->tail_err);
	if (runtime_of(prog, run->mode, &rt, &run->tail_err)) {
		run->tail_failed = 1;
		return NULL;
	}
	return rt;
}

/* ---- memory of checked runs ---------------------------------------------------------------- */

static int add_region(void *vm, void *addr, size_t len, unsigned flags)
{
	return nyk_vm_add_region(vm, addr, len, flags, NULL);
}

/* Register, once per call of nyk_program_test_run, what the program may touch besides its context. */
int rt_setup_regions(struct rt_prog *rt, struct rt_run *run, struct nyk_error *err)
{
	if (!run->checked || rt->regions_gen == run->gen)
		return 0;
	nyk_vm_clear_regions(rt->vm);
	/* The packet first: checked accesses look regions up in order, and packet accesses are the most common. */
	if (run->buf && nyk_vm_add_region(rt->vm, run->buf, run->buf_len, NYK_MEM_READ | NYK_MEM_WRITE, err))
		return -ENOMEM;
	for (size_t i = 0, n = nyk_object_map_count(run->obj); i < n; i++) {
		struct nyk_map *map = nyk_object_map(run->obj, i);
		if (map && nyk_map_for_each_region(map, add_region, rt->vm))
			return nyk_error_set(err, -ENOMEM, "out of memory registering map memory");
	}
	if (nyk_vm_add_region(rt->vm, rt->scratch, NYK_MAX_CALL_DEPTH * rt->scratch_stride, NYK_MEM_READ, err))
		return -ENOMEM;
	rt->regions_gen = run->gen;
	return 0;
}

/* ---- running ------------------------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What a run leaves behind when the program did not clean up: reserved records, a held lock. */
static void end_run(struct rt_run *run)
{
	while (run->nrings) {
		run->nrings--;
		nyk_ringbuf_discard(run->rings[run->nrings].map, run->rings[run->nrings].data, 0);
	}
	if (run->held_lock) {
		nyk_map_spin_unlock(run->held_lock);
		run->held_lock = NULL;
	}
	run->scratch_depth = 0;
}

/* One run: the program, then the programs it tail-calls. */
static int run_once(struct rt_run *run, uint64_t *r0, struct nyk_error *err)
{
	int rc;

	run->cur = run->root;
	run->tail_calls = 0;
	for (;;) {
		run->tail_target = NULL;
		rc = nyk_vm_exec(run->cur->vm, run->ctx, run->ctx_len, r0, err);
		if (rc < 0)
			return prog_error(run->cur->prog, err, rc);
		if (!run->tail_target)
			return 0;
		run->cur = run->tail_target;
		if ((rc = rt_setup_regions(run->cur, run, err)))
			return rc;
	}
}

static int check_opts(const struct nyk_test_run *o, struct nyk_error *err)
{
	const size_t known = sizeof(struct nyk_test_run);

	if (!o || o->size < offsetof(struct nyk_test_run, duration_ns) + sizeof(o->duration_ns))
		return nyk_error_set(err, -EINVAL, "test run options missing or too small (set their size)");
	for (size_t i = known; i < o->size; i++)
		if (((const unsigned char *)o)[i])
			return nyk_error_set(err, -EINVAL, "test run options have fields this library does not know");
	if (o->flags & ~(unsigned)(NYK_RUN_UNCHECKED | NYK_RUN_JIT | NYK_RUN_INTERP))
		return nyk_error_set(err, -EINVAL, "test run flags 0x%x: unknown", o->flags);
	if ((o->flags & NYK_RUN_JIT) && (o->flags & NYK_RUN_INTERP))
		return nyk_error_set(err, -EINVAL, "test run flags: the JIT and the interpreter both asked for");
	if ((o->data_size_in && !o->data_in) || (o->ctx_size_in && !o->ctx_in))
		return nyk_error_set(err, -EINVAL, "a size without its buffer (data_in or ctx_in)");
	return 0;
}

int nyk_program_test_run(struct nyk_program *prog, struct nyk_test_run *o, struct nyk_error *err)
{
	struct rt_run run;
	struct rt_run *saved = rt_current;
	uint64_t repeat, r0 = 0, t0, elapsed;
	int checked, rc;

	if (!prog)
		return nyk_error_set(err, -EINVAL, "no program");
	if ((rc = check_opts(o, err)))
		return rc;
	checked = !(o->flags & NYK_RUN_UNCHECKED);
	memset(&run, 0, sizeof(run));
	run.mode = o->flags;
	if ((rc = runtime_of(prog, run.mode, &run.root, err)))
		return rc;
	run.obj = nyk_program_object(prog);
	run.type = run.root->type;
	run.model = run.type->d.run_model;
	run.checked = checked;
	run.gen = atomic_fetch_add(&run_generation, 1) + 1;
	if ((rc = rt_ctx_build(&run, o, err))) {
		rc = prog_error(prog, err, rc);
		goto out;
	}
	if ((rc = rt_setup_regions(run.root, &run, err)))
		goto out;

	repeat = o->repeat ? o->repeat : 1;
	rt_current = &run;
	t0 = now_ns();
	for (uint64_t i = 0; i < repeat && rc == 0; i++) {
		rc = run_once(&run, &r0, err);
		end_run(&run);
	}
	elapsed = now_ns() - t0;
	rt_current = saved;
	if (rc)
		goto out;
	o->retval = r0;
	o->duration_ns = elapsed / repeat;
	rc = rt_ctx_finish(&run, o, err);
out:
	rt_current = saved;
	rt_ctx_free(&run);
	return rc;
}
