/*
 * fuzz_verifier.c - the verifier's soundness: whatever nyk_verify accepts
 * must run in the checked interpreter without a fault (an out-of-bounds or
 * misaligned access, a call too deep, a helper given what its prototype
 * forbids) and must terminate. A fault aborts.
 *
 * Termination: a run that uses up its budget of 2 * 10^5 instructions
 * (more would break the 5-second limit per input of tests/fuzz/run.sh:
 * the interpreter under ASan and coverage on a loaded machine) is run
 * again, traced, for at most 5 * 10^4 instructions, looking for a state
 * (instruction, call depth, registers) that comes back (Brent's cycle
 * detection): a program that loops forever without touching memory in
 * between is a finding. A loop the verifier accepted with a bound of
 * millions of iterations simply takes long and is not one (verifiers
 * prove termination, not a number of steps).
 *
 * Input layout: byte 0 chooses the program type (bits 0-1: xdp, bytes
 * (a registered type whose context is 64 writable bytes), socket_filter,
 * sched_cls) and the mode (bit 2: privileged), bits 3-7 the packet's
 * length (PKT - 4 * k: 128 down to 4 bytes, so that a check one byte short
 * meets a packet that ends exactly there); then the program as raw
 * 8-byte instruction slots. The packet and the context's scalar fields are
 * filled from the input, so branches on them go both ways.
 *
 * Maps the program may name (lddw src 1/5: imm = index; src 2/6 with an
 * offset: the value of key 0 of [2]): [0] array, 16 entries of 64 bytes;
 * [1] hash, 8-byte keys, 64-byte values (these two as in the verifier
 * benchmark's programs, bench/verifier/gen.c, which give the seeds); [2]
 * array, 1 entry of 32 bytes (global data). The map helpers here check
 * what the verifier promised (a map, key and value memory) and abort when
 * it does not hold; the other helpers of the type are nyuki's.
 *
 * nyuki's helpers check the pointers they get and return an error rather
 * than fault, which would hide a verifier that lets a bad pointer through;
 * so programs that call helpers with memory arguments run traced, and at
 * each such call the memory its prototype (nyk_helper_proto) promises -
 * map keys and values, memory of the size in the next argument, 8 bytes
 * for a long - must lie in the context, the packet, a map's values or a
 * live stack frame.
 *
 * Context loads of pointer fields are rewritten as nyk_program_test_run
 * does (nyk_progtype_rewrite_ctx); a program it refuses is skipped.
 * NYK_FUZZ_VERBOSE=1 in the environment prints each input's fate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"
#include "nyuki/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_SLOTS = 512, BUDGET = 200000, CYCLE_BUDGET = 50000, BYTES_CTX = 64, HEADROOM = 64, PKT = 128, NMAPS = 3 };

static const struct nyk_map_def map_defs[NMAPS] = {
	{ .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 64, .max_entries = 16, .name = "counters" },
	{ .type = NYK_MAP_HASH, .key_size = 8, .value_size = 64, .max_entries = 16, .name = "flows" },
	{ .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 32, .max_entries = 1, .name = "glob" },
};
static const struct nyk_map_def *const map_def_ptrs[NMAPS] = { &map_defs[0], &map_defs[1], &map_defs[2] };

/* One input's world: its maps, its packet. */
struct world {
	struct nyk_map *maps[NMAPS];
	uint8_t pkt[HEADROOM + PKT];
	size_t pkt_len;   /* data_end - data, at most PKT */
	const struct nyk_insn *insns;
	size_t n;
	unsigned flags;   /* the verifier's: privileged or not */
};

static struct world *cur;   /* for the helpers and the packet function (one input at a time) */

/* bpf_trace_printk and friends print nowhere: the fuzzer's output stays readable. */
static void discard(void *user, const char *msg, size_t len)
{
	(void)user, (void)msg, (void)len;
}

static void say(const char *fmt, const char *a, long b, const char *c)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("NYK_FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, fmt, a, b, c);
}

static void report(const char *what)
{
	char *text = cur ? nyk_disasm(cur->insns, cur->n, NYK_SYNTAX_C, NYK_DISASM_INDEX, NULL) : NULL;

	fprintf(stderr, "verifier soundness: %s\nthe program, accepted in %s mode:\n%s", what,
		cur && (cur->flags & NYK_VERIFY_PRIVILEGED) ? "privileged" : "unprivileged", text ? text : "?\n");
	free(text);
	abort();
}

/* ---- the bytes type --------------------------------------------------------------------- */

static const struct nyk_progtype *bytes_type(void)
{
	static const struct nyk_progtype *t;
	struct nyk_progtype_desc d = { .size = sizeof(d) };
	struct nyk_error err;

	if (t)
		return t;
	d.name = "fuzz_verifier_bytes";
	d.ctx_name = "64 bytes";
	d.ctx_size = BYTES_CTX;
	d.flags = NYK_PT_CTX_BYTES | NYK_PT_CTX_WRITABLE;
	d.run_model = NYK_MODEL_BYTES;
	d.ret_min = INT64_MIN;
	d.ret_max = INT64_MAX;
	if (nyk_progtype_register(&d, &err) < 0 && err.code != -EEXIST) {
		fprintf(stderr, "cannot register the bytes type: %s\n", err.message);
		abort();
	}
	return t = nyk_progtype_by_name(d.name);
}

/* ---- maps and the helpers that check the verifier's promises ------------------------- */

static struct nyk_map *map_arg(uint64_t v, const char *helper)
{
	for (int i = 0; i < NMAPS; i++)
		if (cur->maps[i] && (uint64_t)(uintptr_t)cur->maps[i] == v)
			return cur->maps[i];
	fprintf(stderr, "%s: argument 1 is not a map\n", helper);
	report("a helper got a map argument that is not a map");
	return NULL;
}

static void need_mem(struct nyk_exec *x, uint64_t addr, size_t len, unsigned flags, const char *what)
{
	char msg[200];

	if (nyk_exec_check_mem(x, addr, len, flags) == 0)
		return;
	snprintf(msg, sizeof(msg), "%s: %zu bytes at 0x%llx are not accessible", what, len, (unsigned long long)addr);
	report(msg);
}

static uint64_t h_lookup(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	struct nyk_map *m = map_arg(r1, "bpf_map_lookup_elem");
	(void)r3, (void)r4, (void)r5;
	need_mem(x, r2, nyk_map_get_def(m)->key_size, NYK_MEM_READ, "bpf_map_lookup_elem key");
	return (uint64_t)(uintptr_t)nyk_map_lookup_elem_ptr(m, (const void *)(uintptr_t)r2, 0);
}

static uint64_t h_update(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	struct nyk_map *m = map_arg(r1, "bpf_map_update_elem");
	(void)r5;
	need_mem(x, r2, nyk_map_get_def(m)->key_size, NYK_MEM_READ, "bpf_map_update_elem key");
	need_mem(x, r3, nyk_map_get_def(m)->value_size, NYK_MEM_READ, "bpf_map_update_elem value");
	return (uint64_t)(int64_t)nyk_map_update_elem(m, (const void *)(uintptr_t)r2, (const void *)(uintptr_t)r3, r4,
							0);
}

static uint64_t h_delete(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	struct nyk_map *m = map_arg(r1, "bpf_map_delete_elem");
	(void)r3, (void)r4, (void)r5;
	need_mem(x, r2, nyk_map_get_def(m)->key_size, NYK_MEM_READ, "bpf_map_delete_elem key");
	return (uint64_t)(int64_t)nyk_map_delete_elem(m, (const void *)(uintptr_t)r2);
}

/* lddw of a map (src 1, 5) or of the value of its key 0 plus an offset (src 2, 6). */
static int resolve(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value, struct nyk_error *err)
{
	struct world *w = user;
	uint32_t key = 0;
	uint8_t *v;

	if (imm < 0 || imm >= NMAPS || !w->maps[imm])
		return nyk_error_set(err, -EINVAL, "no map %d", imm);
	if (src == NYK_PSEUDO_MAP_FD || src == NYK_PSEUDO_MAP_IDX) {
		*value = (uint64_t)(uintptr_t)w->maps[imm];
		return 0;
	}
	if ((src != NYK_PSEUDO_MAP_VALUE && src != NYK_PSEUDO_MAP_IDX_VALUE) || map_defs[imm].max_entries != 1)
		return nyk_error_set(err, -EINVAL, "lddw src %u of map %d", src, imm);
	if (next_imm < 0 || (uint32_t)next_imm >= map_defs[imm].value_size ||
	    !(v = nyk_map_lookup_elem_ptr(w->maps[imm], &key, 0)))
		return nyk_error_set(err, -EINVAL, "lddw of map %d at %d", imm, next_imm);
	*value = (uint64_t)(uintptr_t)(v + next_imm);
	return 0;
}

static int add_region(void *vm, void *addr, size_t len, unsigned flags)
{
	return nyk_vm_add_region(vm, addr, len, flags, NULL);
}

/* LD_ABS / LD_IND read the packet, as the kernel reads skb->data. */
static void packet_fn(void *user, void *mem, size_t mem_len, const void **pkt, size_t *pkt_len)
{
	struct world *w = user;
	(void)mem, (void)mem_len;
	*pkt = w->pkt + HEADROOM;
	*pkt_len = w->pkt_len;
}

/* ---- the context -------------------------------------------------------------------- */

/*
 * The runtime context: the visible struct, its scalar fields filled from
 * `fill`, then a slot per pointer field (the packet: data, data_end, and
 * data_meta 8 bytes before data).
 */
static uint8_t *build_ctx(const struct nyk_progtype *t, struct world *w, const uint8_t *fill, size_t nfill,
			  size_t *len)
{
	const struct nyk_progtype_desc *d = nyk_progtype_desc(t);
	size_t visible = d->ctx_size;
	uint8_t *ctx;

	*len = nyk_progtype_runtime_ctx_size(t, visible);
	if (!(ctx = calloc(1, *len ? *len : 1)))
		return NULL;
	for (size_t i = 0; i < visible && nfill; i++)
		ctx[i] = fill[i % nfill];
	for (size_t f = 0; f < d->nfields; f++) {
		long slot = nyk_progtype_slot_offset(t, f);
		uint8_t *p = w->pkt + HEADROOM;
		if (slot < 0)
			continue;
		memset(ctx + d->fields[f].offset, 0, d->fields[f].size);
		if (d->fields[f].kind == NYK_CTX_PKT_END)
			p += w->pkt_len;
		else if (d->fields[f].kind == NYK_CTX_PKT_META)
			p -= 8;
		memcpy(ctx + slot, &p, sizeof(p));
	}
	return ctx;
}

/* ---- helper arguments ------------------------------------------------------------------- */

enum { MAX_REGIONS = 32 };

/* What a traced run may point helpers at, and the registers before the instruction being run. */
struct shadow {
	const uint8_t *ctx;
	size_t ctx_len;
	struct {
		uint64_t addr, len;
	} region[MAX_REGIONS];
	size_t nregions;
	uint64_t fp[NYK_MAX_CALL_DEPTH + 1];   /* r10 of each live frame */
	uint64_t prev[NYK_REG_COUNT];          /* the registers after the last instruction */
};

static int collect_region(void *user, void *addr, size_t len, unsigned flags)
{
	struct shadow *sh = user;
	(void)flags;
	if (sh->nregions < MAX_REGIONS) {
		sh->region[sh->nregions].addr = (uint64_t)(uintptr_t)addr;
		sh->region[sh->nregions].len = len;
		sh->nregions++;
	}
	return 0;
}

static int inside(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return addr >= base && len <= size && addr - base <= size - len;
}

static int accessible(const struct shadow *sh, uint64_t addr, uint64_t len, unsigned depth)
{
	if (inside(addr, len, (uint64_t)(uintptr_t)sh->ctx, sh->ctx_len))
		return 1;
	for (size_t i = 0; i < sh->nregions; i++)
		if (inside(addr, len, sh->region[i].addr, sh->region[i].len))
			return 1;
	for (unsigned d = 0; d <= depth && d <= NYK_MAX_CALL_DEPTH; d++)
		if (inside(addr, len, sh->fp[d] - NYK_STACK_SIZE, NYK_STACK_SIZE))
			return 1;
	return 0;
}

static const struct nyk_map_def *def_of_map(uint64_t v)
{
	for (int i = 0; i < NMAPS; i++)
		if (cur->maps[i] && (uint64_t)(uintptr_t)cur->maps[i] == v)
			return &map_defs[i];
	return NULL;
}

/* Bytes argument k (0-based) of a call must be able to touch, by its prototype; 0 when none. */
static uint64_t arg_bytes(const struct nyk_helper_proto *p, const uint64_t *args, int k)
{
	const struct nyk_map_def *d = def_of_map(args[0]);

	switch (p->args[k]) {
	case NYK_ARG_MAP_KEY:
		return d ? d->key_size : 0;
	case NYK_ARG_MAP_VALUE:
		return d ? d->value_size : 0;
	case NYK_ARG_MEM:
	case NYK_ARG_UNINIT_MEM:
		return k < 4 ? args[k + 1] : 0;
	case NYK_ARG_MEM_OR_NULL:
		return k < 4 && args[k] ? args[k + 1] : 0;
	case NYK_ARG_PTR_TO_LONG:
		return 8;
	default:
		return 0;
	}
}

static int has_memory_args(const struct nyk_helper_proto *p)
{
	uint64_t big[5] = { 0, 1, 1, 1, 1 };

	for (int k = 0; p && k < 5; k++)
		if (arg_bytes(p, big, k) || p->args[k] == NYK_ARG_MAP_KEY || p->args[k] == NYK_ARG_MAP_VALUE)
			return 1;
	return 0;
}

static int calls_memory_helpers(const struct nyk_insn *insns, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (insns[i].opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(&insns[i]) == NYK_CALL_HELPER &&
		    has_memory_args(nyk_helper_proto((uint32_t)insns[i].imm)))
			return 1;
	return 0;
}

/*
 * After each instruction. A helper call is reported after it ran, so its
 * arguments are the registers the instruction before it left (a call is
 * never the first instruction run: that one reports nothing before).
 */
static void trace_helpers(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
			  unsigned changed_mask, unsigned depth)
{
	struct shadow *sh = user;
	const struct nyk_helper_proto *p;

	(void)pc, (void)changed_mask;
	if (insn->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(insn) == NYK_CALL_HELPER &&
	    (p = nyk_helper_proto((uint32_t)insn->imm))) {
		const uint64_t *args = sh->prev + 1;
		for (int k = 0; k < 5 && p->args[k] != NYK_ARG_NONE; k++) {
			uint64_t len = arg_bytes(p, args, k);
			char msg[200];
			if (!len || accessible(sh, args[k], len, depth))
				continue;
			snprintf(msg, sizeof(msg), "insn %zu: %s argument %d: %llu bytes at 0x%llx are not memory the "
				 "program may touch", pc, p->name, k + 1, (unsigned long long)len,
				 (unsigned long long)args[k]);
			report(msg);
		}
	}
	if (depth <= NYK_MAX_CALL_DEPTH)
		sh->fp[depth] = regs[NYK_REG_FP];
	memcpy(sh->prev, regs, sizeof(sh->prev));
}

/* ---- endless loops ------------------------------------------------------------------------ */

struct vm_state {
	size_t pc;
	unsigned depth;
	uint64_t regs[NYK_REG_COUNT];
};

struct cycle {
	struct vm_state tortoise;
	uint64_t power, lam, steps;
	int found;
	size_t at;
};

/* Brent's algorithm over the states after each instruction. */
static void trace_cycle(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
			unsigned changed_mask, unsigned depth)
{
	struct cycle *c = user;
	struct vm_state now;

	(void)insn, (void)changed_mask;
	if (c->found)
		return;
	memset(&now, 0, sizeof(now));
	now.pc = pc;
	now.depth = depth;
	memcpy(now.regs, regs, sizeof(now.regs));
	if (c->steps++ && !memcmp(&now, &c->tortoise, sizeof(now))) {
		c->found = 1;
		c->at = pc;
		return;
	}
	if (c->power == c->lam) {
		c->tortoise = now;
		c->power *= 2;
		c->lam = 0;
	}
	c->lam++;
}

/* After the budget ran out: does the program come back to a state it was in? */
static void check_endless(const struct nyk_progtype *t, struct nyk_vm *vm, struct world *w, const uint8_t *fill,
			  size_t nfill)
{
	struct nyk_vm_opts vo = { .size = sizeof(vo), .insn_budget = CYCLE_BUDGET };
	struct cycle c = { .power = 1 };
	struct nyk_error err;
	uint8_t *ctx;
	size_t ctx_len;
	uint64_t r0;
	char msg[160];

	if (nyk_vm_set_opts(vm, &vo) < 0 || !(ctx = build_ctx(t, w, fill, nfill, &ctx_len)))
		return;
	nyk_error_clear(&err);
	nyk_vm_exec_traced(vm, ctx, ctx_len, &r0, trace_cycle, &c, &err);
	free(ctx);
	if (!c.found) {
		say("accepted, %s (budget of %ld): %s\n", "runs long without repeating a state", (long)BUDGET, "");
		return;
	}
	snprintf(msg, sizeof(msg), "%s program never ends: the registers after insn %zu repeat (cycle of at most "
		 "%llu instructions)", nyk_progtype_name(t), c.at, (unsigned long long)c.lam);
	report(msg);
}

/* ---- one input ---------------------------------------------------------------------- */

static const struct nyk_progtype *type_of(uint8_t choice)
{
	static const char *const names[] = { "xdp", NULL, "socket_filter", "sched_cls" };
	return names[choice & 3] ? nyk_progtype_by_name(names[choice & 3]) : bytes_type();
}

/* Run the accepted program checked; a fault is a soundness bug. */
static void run(const struct nyk_progtype *t, struct world *w, struct nyk_insn *insns, size_t n, const uint8_t *fill,
		size_t nfill)
{
	struct nyk_vm_opts vo = { .size = sizeof(vo), .insn_budget = BUDGET };
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_error err;
	uint8_t *ctx = NULL;
	size_t ctx_len;
	uint64_t r0;
	int rc;

	nyk_error_clear(&err);
	if (!vm || nyk_vm_set_opts(vm, &vo) < 0 || nyk_helpers_register(vm, t, &err) < 0 ||
	    nyk_vm_register_helper(vm, 1, "bpf_map_lookup_elem", h_lookup, &err) < 0 ||
	    nyk_vm_register_helper(vm, 2, "bpf_map_update_elem", h_update, &err) < 0 ||
	    nyk_vm_register_helper(vm, 3, "bpf_map_delete_elem", h_delete, &err) < 0)
		goto out;
	nyk_vm_set_lddw_resolver(vm, resolve, w);
	if (nyk_progtype_desc(t)->flags & NYK_PT_LEGACY_PACKET)
		nyk_vm_set_packet_fn(vm, packet_fn, w);
	/* Refusals here are not the verifier's: helpers nyuki cannot run, context rewriting. */
	if (nyk_progtype_rewrite_ctx(t, insns, n, &err) < 0 || nyk_vm_load(vm, insns, n, &err) < 0) {
		say("accepted, not run: %s: insn %ld: %s\n", "refused by the runtime", err.insn, err.message);
		goto out;
	}
	/* Exactly [data_meta, data_end): the headroom before it is not the program's. */
	if (nyk_vm_add_region(vm, w->pkt + HEADROOM - 8, w->pkt_len + 8, NYK_MEM_READ | NYK_MEM_WRITE, &err) < 0)
		goto out;
	for (int i = 0; i < NMAPS; i++)
		if (nyk_map_for_each_region(w->maps[i], add_region, vm))
			goto out;
	if (!(ctx = build_ctx(t, w, fill, nfill, &ctx_len)))
		goto out;
	if (calls_memory_helpers(w->insns, w->n)) {
		struct shadow *sh = calloc(1, sizeof(*sh));
		if (!sh)
			goto out;
		sh->ctx = ctx;
		sh->ctx_len = ctx_len;
		sh->prev[1] = (uint64_t)(uintptr_t)ctx;
		sh->prev[2] = ctx_len;
		collect_region(sh, w->pkt + HEADROOM - 8, w->pkt_len + 8, 0);
		for (int i = 0; i < NMAPS; i++)
			nyk_map_for_each_region(w->maps[i], collect_region, sh);
		rc = nyk_vm_exec_traced(vm, ctx, ctx_len, &r0, trace_helpers, sh, &err);
		free(sh);
	} else {
		rc = nyk_vm_exec(vm, ctx, ctx_len, &r0, &err);
	}
	if (rc == -ELOOP) {
		check_endless(t, vm, w, fill, nfill);
	} else if (rc < 0) {
		char msg[NYK_ERROR_MSG_MAX + 64];
		snprintf(msg, sizeof(msg), "%s program faults at insn %ld: %s", nyk_progtype_name(t), err.insn,
			 err.message);
		report(msg);
	} else {
		say("accepted, %s: r0 = %ld%s\n", "ran clean", (long)r0, "");
	}
out:
	free(ctx);
	nyk_vm_destroy(vm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nyk_insn insns[MAX_SLOTS], copy[MAX_SLOTS];
	static struct world w;
	struct nyk_verify_opts o = { .size = sizeof(o) };
	struct nyk_verify_result res = { .size = sizeof(res) };
	struct nyk_error err;
	size_t n;

	if (size < 1 + sizeof(struct nyk_insn))
		return 0;
	n = (size - 1) / sizeof(struct nyk_insn);
	if (n > MAX_SLOTS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = data + 1 + 8 * i;
		insns[i].opcode = b[0];
		insns[i].regs = b[1];
		insns[i].off = (int16_t)(b[2] | b[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
	}
	nyk_set_print_fn(discard, NULL);
	o.type = type_of(data[0]);
	o.flags = data[0] & 4 ? NYK_VERIFY_PRIVILEGED : 0;
	o.maps = map_def_ptrs;
	o.nmaps = NMAPS;
	o.max_insns = MAX_SLOTS;
	nyk_error_clear(&err);
	if (nyk_verify(insns, n, &o, &res, &err) != 0) {
		say("%s: insn %ld: %s\n", "refused", res.insn, res.reason);
		return 0;
	}

	memset(&w, 0, sizeof(w));
	for (int i = 0; i < NMAPS; i++)
		if (nyk_map_create(&map_defs[i], NULL, &w.maps[i], &err) < 0)
			abort();
	for (size_t i = 0; i < sizeof(w.pkt); i++)
		w.pkt[i] = data[1 + (i * 7) % (size - 1)];
	w.pkt_len = PKT - 4 * (size_t)(data[0] >> 3);
	memcpy(copy, insns, n * sizeof(insns[0]));
	w.insns = insns;
	w.n = n;
	w.flags = o.flags;
	cur = &w;
	run(o.type, &w, copy, n, data + 1, size - 1);
	cur = NULL;
	for (int i = 0; i < NMAPS; i++)
		nyk_map_destroy(w.maps[i]);
	return 0;
}
