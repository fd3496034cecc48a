/*
 * loader_check.c - open and load an eBPF object with the library and print
 * what the loader made of it, in a stable text that tests/loader/run.sh
 * matches against the CHECK lines of each test program:
 *
 *   object license=GPL kversion=0 programs=2 maps=3 btf=yes
 *   program xdp_prog section=xdp type=xdp insns=12
 *   map 0 counts section=.maps type=1 key=4 value=8 max=16 flags=0
 *   var cfg section=.rodata offset=0 size=4
 *   init 2 counts[1]=...
 *   prog xdp_prog insn 4: r1 = map[0] ll          (after load, with --dump)
 *   line xdp_prog insn 4: a.c:12                  (with --lines)
 *   run xdp_prog retval=3                         (with --run)
 *
 * Usage: loader_check [options] FILE
 *   --no-load              only open
 *   --default-type T       program type for unknown sections
 *   --type PROG=T          set a program's type
 *   --kconfig TEXT         kconfig values ("CONFIG_X=y\n..."; given again, lines are added)
 *   --target-btf PATH      CO-RE target
 *   --set NAME=VALUE       set a global variable (integer, or "string") before load
 *   --set-after NAME=VALUE the same after load
 *   --get NAME             print a variable after load (as an integer)
 *   --dump                 print every linked program (disassembly)
 *   --lines                print line info of every linked instruction
 *   --run PROG             run PROG on the interpreter with map helpers
 *   --lock MAP             after load: BPF_F_LOCK update of key 0 (bytes 0xa0, 0xa1, ...), then a
 *                          BPF_F_LOCK lookup: "lock MAP update=RC lookup=RC value=HEX"
 * Exit: 0 when everything worked, 1 when opening or loading failed (the
 * error is printed as "error: ..."), 2 for bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "nyuki/btf.h"
#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "nyuki/vm.h"

struct opt_list {
	const char *items[32];
	int n;
};

static void add(struct opt_list *l, const char *s)
{
	if (l->n < 32)
		l->items[l->n++] = s;
}

static void fail_error(const char *what, const struct nyk_error *err)
{
	char buf[600];
	printf("error: %s: %s\n", what, nyk_error_format(err, buf, sizeof(buf)));
}

/* Write an integer or a "string" into a variable of `size` bytes. */
static int parse_value(const char *text, uint8_t *buf, size_t size)
{
	memset(buf, 0, size);
	if (text[0] == '"') {
		size_t n = strlen(text + 1);
		if (n && text[n] == '"')
			n--;
		memcpy(buf, text + 1, n < size ? n : size);
		return 0;
	}
	char *end;
	unsigned long long v = strtoull(text, &end, 0);
	if (*end)
		return -1;
	for (size_t i = 0; i < size && i < 8; i++)
		buf[i] = (uint8_t)(v >> (8 * i));   /* little-endian host */
	return 0;
}

static int set_vars(struct nyk_object *obj, const struct opt_list *l)
{
	for (int i = 0; i < l->n; i++) {
		char name[128];
		const char *eq = strchr(l->items[i], '=');
		struct nyk_var_info vi;
		uint8_t buf[4096];
		struct nyk_error err;

		nyk_error_clear(&err);
		if (!eq || (size_t)(eq - l->items[i]) >= sizeof(name))
			return 2;
		memcpy(name, l->items[i], (size_t)(eq - l->items[i]));
		name[eq - l->items[i]] = '\0';
		if (nyk_object_find_var(obj, name, &vi) || vi.size > sizeof(buf) || parse_value(eq + 1, buf, vi.size)) {
			if (nyk_object_set_var(obj, name, buf, 1, &err))
				fail_error("set", &err);
			else
				printf("error: set: cannot parse %s\n", l->items[i]);
			return 1;
		}
		if (nyk_object_set_var(obj, name, buf, vi.size, &err)) {
			fail_error("set", &err);
			return 1;
		}
		printf("set %s\n", name);
	}
	return 0;
}

static void print_object(struct nyk_object *obj)
{
	printf("object license=%s kversion=%" PRIu32 " programs=%zu maps=%zu btf=%s\n", nyk_object_license(obj),
	       nyk_object_kversion(obj), nyk_object_program_count(obj), nyk_object_map_count(obj),
	       nyk_object_btf(obj) ? "yes" : "no");
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		const struct nyk_progtype *t = nyk_program_type(p);
		size_t n;
		nyk_program_insns(p, &n);
		printf("program %s section=%s type=%s insns=%zu\n", nyk_program_name(p), nyk_program_section(p),
		       t ? nyk_progtype_name(t) : "none", n);
	}
	for (size_t i = 0; i < nyk_object_map_count(obj); i++) {
		const struct nyk_map_def *d = nyk_object_map_def(obj, i);
		printf("map %zu %s section=%s type=%" PRIu32 " key=%" PRIu32 " value=%" PRIu32 " max=%" PRIu32
		       " flags=0x%" PRIx32 " pinning=%" PRIu32, i, nyk_object_map_name(obj, i), nyk_object_map_section(obj, i),
		       d->type, d->key_size, d->value_size, d->max_entries, d->map_flags, d->pinning);
		if (d->inner)
			printf(" inner=%s:type=%" PRIu32 ":key=%" PRIu32 ":value=%" PRIu32 ":max=%" PRIu32, d->inner->name,
			       d->inner->type, d->inner->key_size, d->inner->value_size, d->inner->max_entries);
		if (d->inner && d->inner->has_spin_lock)
			printf(":spin_lock=%" PRIu32, d->inner->spin_lock_off);
		if (d->has_spin_lock)
			printf(" spin_lock=%" PRIu32, d->spin_lock_off);
		printf("\n");
	}
	for (size_t i = 0; i < nyk_object_var_count(obj); i++) {
		struct nyk_var_info vi;
		nyk_object_var(obj, i, &vi);
		printf("var %s section=%s offset=%" PRIu32 " size=%" PRIu32 "%s%s\n", vi.name, vi.section, vi.offset,
		       vi.size, vi.btf_type ? " btf" : "", vi.read_only ? " ro" : "");
	}
}

/* A relocated lddw in words tests can match: "map[3]" or "map[3]+8" or "func+5". */
static void print_linked(struct nyk_object *obj, int dump, int lines)
{
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		const struct nyk_core_failure *fails;
		size_t n, nf;
		const struct nyk_insn *in = nyk_program_insns(p, &n);

		printf("linked %s insns=%zu\n", nyk_program_name(p), n);
		for (size_t pc = 0; pc < n; pc++) {
			const char *fname = nyk_program_func_name(p, pc);
			char buf[128];
			struct nyk_line_info li;
			int slots;

			if (fname)
				printf("func %s %s at %zu\n", nyk_program_name(p), fname, pc);
			if (lines && nyk_program_line_info(p, pc, &li) == 0) {
				const char *base = strrchr(li.file, '/');
				printf("line %s insn %zu: %s:%" PRIu32 ":%" PRIu32 "\n", nyk_program_name(p), pc,
				       base ? base + 1 : li.file, li.line, li.column);
			}
			if (in[pc].opcode == 0x18 && pc + 1 < n) {
				unsigned src = nyk_insn_src(&in[pc]);
				if (src == NYK_PSEUDO_MAP_IDX)
					printf("reloc %s insn %zu: map %s\n", nyk_program_name(p), pc,
					       nyk_object_map_name(obj, (size_t)in[pc].imm));
				else if (src == NYK_PSEUDO_MAP_IDX_VALUE)
					printf("reloc %s insn %zu: value %s+%" PRId32 "\n", nyk_program_name(p), pc,
					       nyk_object_map_name(obj, (size_t)in[pc].imm), in[pc + 1].imm);
				else if (src == NYK_PSEUDO_FUNC)
					printf("reloc %s insn %zu: func %s\n", nyk_program_name(p), pc,
					       nyk_program_func_name(p, pc + (size_t)in[pc].imm + 1) ?
					       nyk_program_func_name(p, pc + (size_t)in[pc].imm + 1) : "?");
			}
			if (in[pc].opcode == 0x85 && nyk_insn_src(&in[pc]) == NYK_CALL_LOCAL) {
				const char *t = nyk_program_func_name(p, pc + (size_t)(int64_t)in[pc].imm + 1);
				printf("call %s insn %zu: %s\n", nyk_program_name(p), pc, t ? t : "?");
			}
			slots = nyk_disasm_insn(in, n, pc, NYK_SYNTAX_C, buf, sizeof(buf));
			if (dump)
				printf("prog %s insn %zu: %s\n", nyk_program_name(p), pc, buf);
			if (slots == 2)
				pc++;
		}
		nf = nyk_program_core_failures(p, &fails);
		for (size_t k = 0; k < nf; k++)
			printf("core-failure %s insn %zu: %s\n", nyk_program_name(p), fails[k].insn, fails[k].message);
	}
}

/* Initial values of prog_array and map-in-map arrays: "slot jmp[2]: prog prog_a". */
static void print_slots(struct nyk_object *obj)
{
	for (size_t i = 0; i < nyk_object_map_count(obj); i++) {
		struct nyk_map *m = nyk_object_map(obj, i);
		const struct nyk_map_def *d = nyk_map_get_def(m);

		for (uint32_t k = 0; k < d->max_entries && k < 64; k++) {
			uint32_t v;
			if (d->type == NYK_MAP_PROG_ARRAY && nyk_map_prog_array_get(m, k, &v) == 0) {
				struct nyk_program *p = nyk_object_program(obj, v);
				printf("slot %s[%" PRIu32 "]: prog %s\n", nyk_object_map_name(obj, i), k,
				       p ? nyk_program_name(p) : "?");
			} else if (d->type == NYK_MAP_ARRAY_OF_MAPS && nyk_map_lookup(m, &k, &v) == 0) {
				struct nyk_map *in = nyk_map_by_id(v);
				printf("slot %s[%" PRIu32 "]: map %s\n", nyk_object_map_name(obj, i), k,
				       in ? nyk_map_name(in) : "?");
			}
		}
	}
}

/* ---- running on the interpreter ------------------------------------------------------ */

static struct nyk_object *run_obj;

static uint64_t h_lookup(uint64_t map, uint64_t key, uint64_t a3, uint64_t a4, uint64_t a5, struct nyk_exec *x)
{
	return (uint64_t)(uintptr_t)nyk_map_lookup_elem_ptr((struct nyk_map *)(uintptr_t)map, (const void *)(uintptr_t)key, 0);
}

static uint64_t h_update(uint64_t map, uint64_t key, uint64_t value, uint64_t flags, uint64_t a5, struct nyk_exec *x)
{
	return (uint64_t)(int64_t)nyk_map_update((struct nyk_map *)(uintptr_t)map, (const void *)(uintptr_t)key,
						 (const void *)(uintptr_t)value, flags);
}

static uint64_t h_zero(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5, struct nyk_exec *x)
{
	return 0;
}

static int resolve(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value, struct nyk_error *err)
{
	struct nyk_map *m = nyk_object_map(run_obj, (size_t)imm);
	uint32_t zero = 0;
	uint8_t *v;

	if (!m)
		return nyk_error_set(err, -ENOENT, "no map %" PRId32, imm);
	if (src == NYK_PSEUDO_MAP_IDX) {
		*value = (uint64_t)(uintptr_t)m;
		return 0;
	}
	if (src == NYK_PSEUDO_MAP_IDX_VALUE && (v = nyk_map_lookup_elem_ptr(m, &zero, 0))) {
		*value = (uint64_t)(uintptr_t)(v + next_imm);
		return 0;
	}
	return nyk_error_set(err, -EINVAL, "cannot resolve lddw src %u", src);
}

static int add_region(void *vm, void *addr, size_t len, unsigned flags)
{
	return nyk_vm_add_region(vm, addr, len, NYK_MEM_READ | NYK_MEM_WRITE, NULL);
}

static int run_program(struct nyk_object *obj, const char *name)
{
	struct nyk_program *p = nyk_object_find_program(obj, name);
	struct nyk_vm *vm;
	struct nyk_error err;
	uint8_t ctx[256] = { 0 };
	uint64_t r0 = 0;
	size_t n;
	const struct nyk_insn *in;

	if (!p) {
		printf("error: run: no program '%s'\n", name);
		return 1;
	}
	in = nyk_program_insns(p, &n);
	nyk_error_clear(&err);
	run_obj = obj;
	vm = nyk_vm_create();
	nyk_vm_register_helper(vm, 1, "map_lookup_elem", h_lookup, NULL);
	nyk_vm_register_helper(vm, 2, "map_update_elem", h_update, NULL);
	nyk_vm_register_helper(vm, 6, "trace_printk", h_zero, NULL);
	nyk_vm_register_helper(vm, 12, "tail_call", h_zero, NULL);
	nyk_vm_register_helper(vm, NYK_CORE_POISON_HELPER, "poisoned", h_zero, NULL);
	nyk_vm_set_lddw_resolver(vm, resolve, NULL);
	for (size_t i = 0; i < nyk_object_map_count(obj); i++)
		if (nyk_object_map(obj, i))
			nyk_map_for_each_region(nyk_object_map(obj, i), add_region, vm);
	if (nyk_vm_load(vm, in, n, &err) || nyk_vm_exec(vm, ctx, sizeof(ctx), &r0, &err)) {
		fail_error("run", &err);
		nyk_vm_destroy(vm);
		return 1;
	}
	printf("run %s retval=%" PRIu64 "\n", name, r0);
	nyk_vm_destroy(vm);
	return 0;
}

/* BPF_F_LOCK update and lookup of the zero key of a map: the value reads back without its lock word. */
static int lock_check(struct nyk_object *obj, const char *name)
{
	struct nyk_map *m = nyk_object_find_map(obj, name);
	const struct nyk_map_def *d = m ? nyk_map_get_def(m) : NULL;
	uint8_t *key, *in, *out;
	int up, look;

	if (!d) {
		printf("error: lock: no map '%s'\n", name);
		return 1;
	}
	key = calloc(1, d->key_size + 1);
	in = malloc(d->value_size + 1);
	out = malloc(d->value_size + 1);
	if (!key || !in || !out) {
		free(key);
		free(in);
		free(out);
		return 1;
	}
	for (uint32_t i = 0; i < d->value_size; i++) {
		in[i] = (uint8_t)(0xa0 + i);
		out[i] = 0xee;
	}
	up = nyk_map_update(m, key, in, NYK_ANY | NYK_F_LOCK);
	look = nyk_map_lookup_flags(m, key, out, NYK_F_LOCK);
	printf("lock %s update=%d lookup=%d value=", name, up, look);
	for (uint32_t i = 0; i < d->value_size && look == 0; i++)
		printf("%02x", out[i]);
	printf("\n");
	free(key);
	free(in);
	free(out);
	return 0;
}

int main(int argc, char **argv)
{
	struct nyk_object_opts opts = { .size = sizeof(opts) };
	struct opt_list sets = { 0 }, sets_after = { 0 }, gets = { 0 }, runs = { 0 }, types = { 0 }, locks = { 0 };
	struct nyk_object *obj;
	struct nyk_error err;
	const char *file = NULL;
	char *kconfig = "";
	int load = 1, dump = 0, lines = 0, rc = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-load"))
			load = 0;
		else if (!strcmp(a, "--dump"))
			dump = 1;
		else if (!strcmp(a, "--lines"))
			lines = 1;
		else if (v && !strcmp(a, "--default-type"))
			opts.default_type = argv[++i];
		else if (v && !strcmp(a, "--kconfig")) {
			/* Given again: the lines are added. */
			size_t n = strlen(kconfig) + strlen(argv[++i]) + 2;
			char *k = malloc(n);
			if (!k)
				return 2;
			snprintf(k, n, "%s%s%s", kconfig, kconfig[0] ? "\n" : "", argv[i]);
			if (kconfig[0])
				free(kconfig);
			kconfig = k;
			opts.kconfig = kconfig;
		}
		else if (v && !strcmp(a, "--target-btf"))
			opts.target_btf_path = argv[++i];
		else if (v && !strcmp(a, "--set"))
			add(&sets, argv[++i]);
		else if (v && !strcmp(a, "--set-after"))
			add(&sets_after, argv[++i]);
		else if (v && !strcmp(a, "--get"))
			add(&gets, argv[++i]);
		else if (v && !strcmp(a, "--run"))
			add(&runs, argv[++i]);
		else if (v && !strcmp(a, "--type"))
			add(&types, argv[++i]);
		else if (v && !strcmp(a, "--lock"))
			add(&locks, argv[++i]);
		else if (a[0] != '-' && !file)
			file = a;
		else {
			fprintf(stderr, "usage: loader_check [options] FILE (see the source)\n");
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: loader_check [options] FILE\n");
		return 2;
	}
	nyk_error_clear(&err);
	if (nyk_object_open(file, &opts, &obj, &err)) {
		fail_error("open", &err);
		return 1;
	}
	for (int i = 0; i < types.n; i++) {
		char name[128];
		const char *eq = strchr(types.items[i], '=');
		struct nyk_program *p;
		if (!eq || (size_t)(eq - types.items[i]) >= sizeof(name))
			return 2;
		memcpy(name, types.items[i], (size_t)(eq - types.items[i]));
		name[eq - types.items[i]] = '\0';
		if (!(p = nyk_object_find_program(obj, name)) || nyk_program_set_type(p, eq + 1, &err)) {
			printf("error: type %s\n", types.items[i]);
			rc = 1;
		}
	}
	print_object(obj);
	if ((rc = rc ? rc : set_vars(obj, &sets)))
		goto out;
	if (load) {
		if (nyk_object_load(obj, &err)) {
			fail_error("load", &err);
			rc = 1;
			goto out;
		}
		printf("loaded\n");
		print_linked(obj, dump, lines);
		print_slots(obj);
		for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
			struct nyk_program *p = nyk_object_program(obj, i);
			nyk_error_clear(&err);
			if (nyk_program_runnable(p, &err))
				printf("not-runnable %s: %s\n", nyk_program_name(p), err.message);
		}
		if ((rc = set_vars(obj, &sets_after)))
			goto out;
		for (int i = 0; i < runs.n && !rc; i++)
			rc = run_program(obj, runs.items[i]);
		for (int i = 0; i < locks.n && !rc; i++)
			rc = lock_check(obj, locks.items[i]);
		for (int i = 0; i < gets.n; i++) {
			struct nyk_var_info vi;
			uint8_t buf[8] = { 0 };
			uint64_t v = 0;
			if (nyk_object_find_var(obj, gets.items[i], &vi) || vi.size > 8 ||
			    nyk_object_get_var(obj, gets.items[i], buf, vi.size, &err)) {
				printf("error: get %s\n", gets.items[i]);
				rc = 1;
				continue;
			}
			for (size_t k = 0; k < vi.size; k++)
				v |= (uint64_t)buf[k] << (8 * k);
			printf("get %s=%" PRIu64 "\n", gets.items[i], v);
		}
	}
out:
	nyk_object_close(obj);
	if (kconfig[0])
		free(kconfig);
	return rc;
}
