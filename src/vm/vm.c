/*
 * vm.c - the vm object: helpers, memory regions, options, and loading a
 * program into its decoded form (see vm_internal.h for that form).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"
#include "vm/jit_internal.h"
#include "vm/vm_internal.h"

#define VM_KEY(opcode, sel) ((uint32_t)(opcode) | ((uint32_t)(sel) << 8))

static int op_of_row_key(const struct nyk_insn_desc *d)
{
	switch (VM_KEY(d->opcode, d->sel_value)) {
#define VM_CASE_OF_ROW(name, opcode, sel) \
	case VM_KEY(opcode, sel): return VM_OP_##name;
	VM_OPS(VM_CASE_OF_ROW)
#undef VM_CASE_OF_ROW
	case VM_KEY(NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, NYK_PSEUDO_FUNC):
		return VM_OP_LDDW;
	default:
		return -1;
	}
}

/* vm_op_of_row per row index, computed once: loading looks it up for every slot. */
static int16_t op_of_row[256];
static pthread_once_t op_of_row_once = PTHREAD_ONCE_INIT;

static void build_op_of_row(void)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	for (size_t i = 0; i < n; i++)
		op_of_row[i] = (int16_t)op_of_row_key(&t[i]);
}

int vm_op_of_row(const struct nyk_insn_desc *d)
{
	pthread_once(&op_of_row_once, build_op_of_row);
	return op_of_row[nyk_isa_index(d)];
}

const char *vm_op_name(unsigned op)
{
	static const char *const names[VM_OP_COUNT] = {
#define VM_OP_NAME(name, opcode, sel) [VM_OP_##name] = #name,
		VM_OPS(VM_OP_NAME)
#undef VM_OP_NAME
#define VM_OP_FUSED_NAME(name, first, second) [VM_OP_##name] = #name,
		VM_FUSED_OPS(VM_OP_FUSED_NAME)
#undef VM_OP_FUSED_NAME
	};
	return op < VM_OP_COUNT && names[op] ? names[op] : "?";
}

/* Which operations start (first) or end (second) some superinstruction: a quick test before the list. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"   /* each operation appears in many pairs */
#endif
#define VM_FUSED_FIRST_FLAG(name, a, b) [VM_OP_##a] = 1,
#define VM_FUSED_SECOND_FLAG(name, a, b) [VM_OP_##b] = 1,
static const uint8_t fused_first[VM_OP_COUNT] = { VM_FUSED_OPS(VM_FUSED_FIRST_FLAG) };
static const uint8_t fused_second[VM_OP_COUNT] = { VM_FUSED_OPS(VM_FUSED_SECOND_FLAG) };
#undef VM_FUSED_FIRST_FLAG
#undef VM_FUSED_SECOND_FLAG
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

int vm_op_fused(unsigned first, unsigned second)
{
	if (first >= VM_OP_COUNT || second >= VM_OP_COUNT || !fused_first[first] || !fused_second[second])
		return -1;
#define VM_OP_FUSED_IF(name, a, b)                              \
	if (first == VM_OP_##a && second == VM_OP_##b)          \
		return VM_OP_##name;
	VM_FUSED_OPS(VM_OP_FUSED_IF)
#undef VM_OP_FUSED_IF
	return -1;
}

const uint8_t vm_op_first_table[VM_OP_COUNT] = {
#define VM_OP_SELF(name, opcode, sel) [VM_OP_##name] = VM_OP_##name,
	VM_OPS(VM_OP_SELF)
#undef VM_OP_SELF
#define VM_OP_FIRST_OF(name, a, b) [VM_OP_##name] = VM_OP_##a,
	VM_FUSED_OPS(VM_OP_FIRST_OF)
#undef VM_OP_FIRST_OF
};

/* ---- the object ---------------------------------------------------------- */

struct nyk_vm *nyk_vm_create(void)
{
	struct nyk_vm *vm = calloc(1, sizeof(*vm));

	if (vm)
		vm->budget = VM_DEFAULT_BUDGET;
	return vm;
}

void vm_refresh_direct(struct nyk_vm *vm)
{
	const struct vm_jit *jit = vm->jit;

	vm->direct = jit && !(vm->flags & NYK_VM_COUNT) ? jit->direct : NULL;
}

static void vm_unload(struct nyk_vm *vm)
{
	free(vm->insns);
	free(vm->code);
	free(vm->entry);
	free(vm->facts.land);
	memset(&vm->facts, 0, sizeof(vm->facts));
	vm_jit_free(vm->jit);
	vm->jit = NULL;
	vm->direct = NULL;
	vm->insns = NULL;
	vm->code = NULL;
	vm->entry = NULL;
	vm->count = 0;
}

void nyk_vm_destroy(struct nyk_vm *vm)
{
	if (!vm)
		return;
	vm_unload(vm);
	for (size_t i = 0; i < vm->nhelpers; i++)
		free(vm->helpers[i].name);
	free(vm->helpers);
	free(vm->regions);
	free(vm);
}

int nyk_vm_set_opts(struct nyk_vm *vm, const struct nyk_vm_opts *opts)
{
	const size_t known = sizeof(struct nyk_vm_opts);
	const size_t min = offsetof(struct nyk_vm_opts, flags) + sizeof(opts->flags);
	uint64_t budget = 0;

	if (!vm || !opts || opts->size < min)
		return -EINVAL;
	/* A newer caller's fields we do not know must be zero. */
	for (size_t i = known; i < opts->size; i++)
		if (((const unsigned char *)opts)[i])
			return -EINVAL;
	if (opts->flags & ~(unsigned)(NYK_VM_UNCHECKED | NYK_VM_COUNT | NYK_VM_JIT | NYK_VM_JIT_BLIND))
		return -EINVAL;
	if ((opts->flags & NYK_VM_JIT) && !VM_HAVE_JIT)
		return -ENOTSUP;
	if (opts->size >= offsetof(struct nyk_vm_opts, insn_budget) + sizeof(opts->insn_budget))
		budget = opts->insn_budget;
	/* Loaded code compiled for other options: compile again (or drop it). */
	if (vm->code && (opts->flags & NYK_VM_JIT) &&
	    (!vm->jit || vm->jit->flags != (opts->flags & VM_JIT_FLAGS))) {
		int rc = vm_jit_compile(vm, opts->flags & VM_JIT_FLAGS, NULL);
		if (rc < 0)
			return rc;
	} else if (!(opts->flags & NYK_VM_JIT)) {
		vm_jit_free(vm->jit);
		vm->jit = NULL;
	}
	vm->flags = opts->flags;
	vm->budget = budget ? budget : VM_DEFAULT_BUDGET;
	vm_refresh_direct(vm);
	return 0;
}

void nyk_vm_set_user_data(struct nyk_vm *vm, void *user)
{
	vm->user = user;
}

uint64_t nyk_vm_last_insn_count(const struct nyk_vm *vm)
{
#if VM_HAVE_ATOMIC_BUILTINS
	return __atomic_load_n(&vm->last_count, __ATOMIC_RELAXED);
#else
	return vm->last_count;
#endif
}

/* ---- helpers ------------------------------------------------------------- */

long vm_function_index(const struct nyk_vm *vm, uint64_t id, int kfunc)
{
	for (size_t i = 0; i < vm->nhelpers; i++)
		if (vm->helpers[i].id == id && vm->helpers[i].kfunc == kfunc)
			return (long)i;
	return -1;
}

long vm_helper_index(const struct nyk_vm *vm, uint64_t id)
{
	return vm_function_index(vm, id, 0);
}

static int register_function(struct nyk_vm *vm, uint32_t id, int kfunc, const char *name, nyk_helper_fn fn,
			     struct nyk_error *err)
{
	const char *what = kfunc ? "kfunc" : "helper";
	long at;
	char *copy = NULL;

	if (!vm || !fn)
		return nyk_error_set(err, -EINVAL, "%s %u: no function given", what, id);
	if (name && !(copy = strdup(name)))
		return nyk_error_set(err, -ENOMEM, "out of memory registering %s %u", what, id);
	at = vm_function_index(vm, id, kfunc);
	if (at < 0) {
		if (vm->nhelpers == vm->helpers_cap) {
			size_t cap = vm->helpers_cap ? vm->helpers_cap * 2 : 16;
			struct vm_helper *h = realloc(vm->helpers, cap * sizeof(*h));
			if (!h) {
				free(copy);
				return nyk_error_set(err, -ENOMEM, "out of memory registering %s %u", what, id);
			}
			vm->helpers = h;
			vm->helpers_cap = cap;
		}
		at = (long)vm->nhelpers++;
		vm->helpers[at].name = NULL;
	}
	free(vm->helpers[at].name);
	vm->helpers[at].id = id;
	vm->helpers[at].kfunc = (uint8_t)kfunc;
	vm->helpers[at].fn = fn;
	vm->helpers[at].name = copy;
	/* Compiled code reads helpers at run time, except the lookups it inlined: those follow the new one. */
	if (vm->jit && vm->jit->inlined)
		return vm_jit_compile(vm, vm->jit->flags, err);
	return 0;
}

int nyk_vm_register_helper(struct nyk_vm *vm, uint32_t id, const char *name, nyk_helper_fn fn,
			   struct nyk_error *err)
{
	return register_function(vm, id, 0, name, fn, err);
}

int nyk_vm_register_kfunc(struct nyk_vm *vm, uint32_t btf_id, const char *name, nyk_helper_fn fn,
			  struct nyk_error *err)
{
	return register_function(vm, btf_id, 1, name, fn, err);
}

void nyk_vm_set_lddw_resolver(struct nyk_vm *vm, nyk_lddw_resolver_fn fn, void *user)
{
	vm->resolve_lddw = fn;
	vm->resolve_user = user;
}

void nyk_vm_set_packet_fn(struct nyk_vm *vm, nyk_packet_fn fn, void *user)
{
	vm->packet_fn = fn;
	vm->packet_user = user;
}

const char *nyk_vm_helper_name(const struct nyk_vm *vm, uint32_t id)
{
	long at = vm ? vm_helper_index(vm, id) : -1;

	return at < 0 ? NULL : vm->helpers[at].name;
}

/* ---- memory regions ------------------------------------------------------ */

int nyk_vm_add_region(struct nyk_vm *vm, void *addr, size_t len, unsigned flags, struct nyk_error *err)
{
	uintptr_t a = (uintptr_t)addr;

	if (!vm || !addr || !len)
		return nyk_error_set(err, -EINVAL, "memory region needs an address and a length");
	if (!flags || (flags & ~(unsigned)(NYK_MEM_READ | NYK_MEM_WRITE)))
		return nyk_error_set(err, -EINVAL, "memory region flags 0x%x: want NYK_MEM_READ and/or NYK_MEM_WRITE",
				     flags);
	if (a + len < a)
		return nyk_error_set(err, -EINVAL, "memory region at %p of %zu bytes wraps around", addr, len);
	if (vm->nregions == vm->regions_cap) {
		size_t cap = vm->regions_cap ? vm->regions_cap * 2 : 8;
		struct vm_region *r = realloc(vm->regions, cap * sizeof(*r));
		if (!r)
			return nyk_error_set(err, -ENOMEM, "out of memory adding a memory region");
		vm->regions = r;
		vm->regions_cap = cap;
	}
	vm->regions[vm->nregions].addr = a;
	vm->regions[vm->nregions].len = len;
	vm->regions[vm->nregions].flags = flags;
	vm->nregions++;
	return 0;
}

void nyk_vm_clear_regions(struct nyk_vm *vm)
{
	vm->nregions = 0;
}

int vm_region_ok(const struct nyk_vm *vm, uint64_t addr, uint64_t size, unsigned flags)
{
	for (size_t i = 0; i < vm->nregions; i++) {
		const struct vm_region *r = &vm->regions[i];
		uint64_t o = addr - r->addr;
		if (o < r->len && size <= r->len - o && (r->flags & flags) == flags)
			return 1;
	}
	return 0;
}

/* ---- loading ------------------------------------------------------------- */

static const char *pseudo_name(unsigned src)
{
	switch (src) {
	case NYK_PSEUDO_MAP_FD: return "map fd";
	case NYK_PSEUDO_MAP_VALUE: return "map value";
	case NYK_PSEUDO_BTF_ID: return "btf id";
	case NYK_PSEUDO_MAP_IDX: return "map idx";
	case NYK_PSEUDO_MAP_IDX_VALUE: return "map idx value";
	default: return "unknown";
	}
}

static int load_error(struct nyk_error *err, size_t pc, int code)
{
	if (err)
		err->insn = (long)pc;
	return code;
}

/*
 * Decode slot `pc` (row `d`) of `in` into `out`. `copy` is the program copy
 * the vm keeps; `entry` marks function starts; `facts` gathers what the
 * JIT needs to know of the whole program (land[] marks entries too).
 */
static int decode_one(struct nyk_vm *vm, const struct nyk_insn *copy, size_t pc, const struct nyk_insn_desc *d,
		      int op, struct vm_insn *out, uint8_t *entry, struct vm_facts *facts, struct nyk_error *err)
{
	const struct nyk_insn *in = &copy[pc];

	if (d->form == NYK_FORM_CALL_KFUNC) {
		/* A kfunc is a host function named by BTF id; it runs like a helper. */
		static const struct nyk_insn helper_call = { NYK_CLASS_JMP | NYK_JMP_CALL, 0, 0, 0 };
		long h = vm_function_index(vm, (uint32_t)in->imm, 1);
		if (h < 0)
			return nyk_error_set(err, -ENOENT, "unknown kfunc with BTF id %u (register it with "
					     "nyk_vm_register_kfunc)", (unsigned)(uint32_t)in->imm);
		op = vm_op_of_row(nyk_isa_lookup(&helper_call));
		facts->helper_calls++;
		out->op = (uint8_t)op;
		out->dst = out->src = out->pad = 0;
		out->off = 0;
		out->imm = (uint64_t)h;
		return 0;
	}
	if (op < 0) {
		/* lddw of a map, map value or kernel variable: the embedder resolves it. */
		uint64_t value;
		int rc;
		if (!vm->resolve_lddw)
			return nyk_error_set(err, -ENOTSUP, "lddw with pseudo source %u (%s) needs the object loader",
					     nyk_insn_src(in), pseudo_name(nyk_insn_src(in)));
		rc = vm->resolve_lddw(vm->resolve_user, nyk_insn_src(in), in->imm, copy[pc + 1].imm, &value, err);
		if (rc < 0)
			return rc;
		out->op = (uint8_t)VM_OP_LDDW;
		out->dst = (uint8_t)nyk_insn_dst(in);
		out->src = out->pad = 0;
		out->off = 0;
		out->imm = value;
		return 0;
	}

	out->op = (uint8_t)op;
	out->dst = (uint8_t)nyk_insn_dst(in);
	out->src = (uint8_t)nyk_insn_src(in);
	out->pad = 0;
	out->off = in->off;
	out->imm = (uint64_t)(int64_t)in->imm;

	/* One add fewer to fuse: x -= k is x += -k (in 64 bits, so -INT32_MIN is fine). */
	if (op == VM_OP_SUB64_K) {
		out->op = VM_OP_ADD64_K;
		out->imm = 0 - out->imm;
	}

	switch (d->form) {
	case NYK_FORM_JA:
	case NYK_FORM_JMP_K:
	case NYK_FORM_JMP_X:
		out->off = (int32_t)((long)pc + in->off + 1);
		facts->land[out->off] = 1;
		break;
	case NYK_FORM_JA32:
		out->off = (int32_t)((long)pc + (long)in->imm + 1);
		facts->land[out->off] = 1;
		break;
	case NYK_FORM_CALL_LOCAL:
		out->off = (int32_t)((long)pc + (long)in->imm + 1);
		entry[out->off] = facts->land[out->off] = 1;
		facts->local_calls = 1;
		break;
	case NYK_FORM_CALL: {
		long h = vm_helper_index(vm, (uint32_t)in->imm);
		if (h < 0)
			return nyk_error_set(err, -ENOENT, "unknown helper %u", (unsigned)(uint32_t)in->imm);
		out->imm = (uint64_t)h;
		facts->helper_calls++;
		break;
	}
	case NYK_FORM_CALLX:
		facts->callx = 1;
		break;
	case NYK_FORM_LD_ABS:
	case NYK_FORM_LD_IND:
		facts->packet = 1;
		break;
	case NYK_FORM_LDDW:
		if (d->sel_value == NYK_PSEUDO_FUNC) {
			long target = isa_branch_target(d, in, pc);
			out->imm = (uint64_t)(uintptr_t)&copy[target];
			entry[target] = facts->land[target] = 1;
		} else {
			out->imm = (uint64_t)(uint32_t)in->imm | ((uint64_t)(uint32_t)copy[pc + 1].imm << 32);
		}
		break;
	default:
		break;
	}
	return 0;
}

int nyk_vm_load(struct nyk_vm *vm, const struct nyk_insn *insns, size_t count, struct nyk_error *err)
{
	const struct nyk_insn_desc **rows, *table = nyk_isa_table(NULL);
	struct nyk_insn *copy = NULL;
	struct vm_insn *code = NULL;
	uint8_t *entry = NULL;
	struct vm_facts facts = { 0 };
	unsigned regs = 0;   /* facts.regs_used: a local, as decode_one sees facts */
	int rc;

	if (!vm || (!insns && count))
		return nyk_error_set(err, -EINVAL, "no vm or no program");
	if (count > (size_t)INT32_MAX)
		return nyk_error_set(err, -E2BIG, "program of %zu instructions is too large", count);
	if ((vm->flags & NYK_VM_JIT) && !VM_HAVE_JIT)
		return vm_jit_compile(vm, vm->flags, err);   /* says why */
	rows = calloc(count ? count : 1, sizeof(*rows));
	if (!rows)
		return nyk_error_set(err, -ENOMEM, "out of memory loading %zu instructions", count);
	rc = isa_decode(insns, count, rows, err);
	if (rc)
		goto out;

	copy = malloc(count * sizeof(*copy));
	code = calloc(count, sizeof(*code));
	entry = calloc(count, 1);
	facts.land = calloc(count + 1, 1);
	if (!copy || !code || !entry || !facts.land) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory loading %zu instructions", count);
		goto out;
	}
	memcpy(copy, insns, count * sizeof(*copy));
	entry[0] = facts.land[0] = 1;
	pthread_once(&op_of_row_once, build_op_of_row);
	for (size_t pc = 0; pc < count; pc++) {
		if (!rows[pc])
			continue;  /* second slot of an lddw: never executed */
		rc = decode_one(vm, copy, pc, rows[pc], op_of_row[rows[pc] - table], &code[pc], entry, &facts, err);
		if (rc) {
			rc = load_error(err, pc, rc);
			goto out;
		}
		regs |= 1u << code[pc].dst | 1u << code[pc].src;
		/*
		 * Superinstructions (see VM_FUSED_OPS): the previous slot with this
		 * one, in the same pass. Fusing changes only the previous slot's op,
		 * which no later pair reads.
		 */
		if (pc && rows[pc - 1] && fused_first[code[pc - 1].op]) {
			int fused = vm_op_fused(code[pc - 1].op, code[pc].op);
			if (fused >= 0)
				code[pc - 1].op = (uint8_t)fused;
		}
	}

	facts.regs_used = regs;
	vm_unload(vm);
	vm->insns = copy;
	vm->code = code;
	vm->entry = entry;
	vm->count = count;
	vm->facts = facts;
	copy = NULL;
	code = NULL;
	entry = NULL;
	facts.land = NULL;
	if (vm->flags & NYK_VM_JIT) {
		rc = vm_jit_compile(vm, vm->flags & VM_JIT_FLAGS, err);
		if (rc < 0)
			vm_unload(vm);   /* a half-loaded vm would run in the interpreter: refuse instead */
		vm_refresh_direct(vm);
	}
out:
	free(rows);
	free(copy);
	free(code);
	free(entry);
	free(facts.land);
	return rc;
}
