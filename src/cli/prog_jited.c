/*
 * prog_jited.c - `nyuki prog dump FILE [PROG] jited`: the machine code the
 * JIT makes of a program, each piece under the eBPF instruction it came
 * from, then the prologue and the stubs the instructions share.
 * Disassembled with capstone when the build found it (NYK_HAVE_CAPSTONE),
 * raw bytes otherwise.
 *
 * The program is loaded like `prog run` loads it (assembly, raw bytecode,
 * an ELF function; an object's program through the object loader when the
 * function alone will not do). Helpers and lddw pseudo sources get
 * placeholders: the code is compiled, never run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/objcmd.h"

#ifdef NYK_HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

static uint64_t placeholder(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *x)
{
	return 0;
}

static int resolve_placeholder(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
			       struct nyk_error *err)
{
	*value = 0x1000 + (uint64_t)(uint32_t)imm * 0x100 + (uint32_t)next_imm;   /* recognisable, never used */
	return 0;
}

/* Register a placeholder for every helper and kfunc the program calls. */
static void register_placeholders(struct nyk_vm *vm, const struct nyk_insn *insns, size_t count)
{
	for (size_t pc = 0; pc < count; pc++) {
		const struct nyk_insn *i = &insns[pc];
		if (i->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(i) == NYK_CALL_HELPER &&
		    !nyk_vm_helper_name(vm, (uint32_t)i->imm))
			nyk_vm_register_helper(vm, (uint32_t)i->imm, NULL, placeholder, NULL);
		else if (i->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(i) == NYK_CALL_KFUNC)
			nyk_vm_register_kfunc(vm, (uint32_t)i->imm, NULL, placeholder, NULL);
		pc += nyk_insn_slots(i) - 1;
	}
}

/* Machine code of [off, end) at `code`. */
static void print_code(const uint8_t *code, size_t off, size_t end, const char *indent)
{
#ifdef NYK_HAVE_CAPSTONE
	static csh cs;
	static int opened;
	cs_insn *ins = NULL;
	size_t n;

	if (!opened) {
		opened = cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK ? 1 : -1;
		if (opened > 0)
			cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
	}
	if (opened > 0 && end > off) {
		n = cs_disasm(cs, code + off, end - off, off, 0, &ins);
		for (size_t k = 0; k < n; k++) {
			char bytes[64] = "";
			for (size_t b = 0; b < ins[k].size && b < 15; b++)
				snprintf(bytes + 3 * b, sizeof(bytes) - 3 * b, "%02x ", ins[k].bytes[b]);
			printf("%s%6" PRIx64 ":  %-30s %s %s\n", indent, ins[k].address, bytes, ins[k].mnemonic, ins[k].op_str);
			off = ins[k].address + ins[k].size;
		}
		cs_free(ins, n);
	}
#endif
	while (off < end) {
		size_t line = end - off < 16 ? end - off : 16;
		printf("%s%6zx: ", indent, off);
		for (size_t b = 0; b < line; b++)
			printf(" %02x", code[off + b]);
		putchar('\n');
		off += line;
	}
}

static void json_code(const uint8_t *code, size_t off, size_t end)
{
	char *hex = malloc(3 * (end - off) + 1), *p = hex;

	if (!hex)
		return;
	*p = '\0';
	for (size_t b = off; b < end; b++)
		p += sprintf(p, b + 1 < end ? "%02x " : "%02x", code[b]);
	json_string(hex);
	free(hex);
}

/* The program's instructions: as `prog run` reads FILE, else through the object loader. */
static int load_insns(const char *file, const char *func, struct nyk_insn **insns, size_t *count,
		      struct nyk_object **objp, struct nyk_program **progp)
{
	struct nyk_object *obj = NULL;
	struct nyk_program *prog;
	const struct nyk_insn *src;
	struct nyk_error err;
	char *data;
	size_t len;
	int rc;

	if ((rc = cli_read_file(file, &data, &len)))
		return rc;
	rc = nyk_elf_is_elf(data, len);
	free(data);
	if (!rc)
		return cli_load_program(file, func, insns, count);
	nyk_error_clear(&err);
	if (nyk_object_open(file, NULL, &obj, &err) < 0 || nyk_object_load(obj, &err) < 0) {
		nyk_object_close(obj);
		nyk_error_set_file(&err, file);
		return cli_lib_error(&err);
	}
	prog = func ? nyk_object_find_program(obj, func) : nyk_object_program(obj, 0);
	if (!prog) {
		nyk_object_close(obj);
		return cli_error("%s: no program '%s'", file, func ? func : "(first)");
	}
	src = nyk_program_insns(prog, count);
	*insns = malloc(*count * sizeof(**insns));
	if (!*insns) {
		nyk_object_close(obj);
		return cli_error("out of memory");
	}
	memcpy(*insns, src, *count * sizeof(**insns));
	*objp = obj;
	*progp = prog;
	return EXIT_OK;
}

int prog_dump_jited(int argc, char **argv)
{
	const char *file = NULL, *func = NULL;
	bool checked = false, unchecked = false, blind = false;
	const char *why;
	struct nyk_object *obj = NULL;
	struct nyk_program *prog = NULL;
	struct nyk_insn *insns = NULL;
	struct nyk_vm *vm = NULL;
	struct nyk_error err;
	const uint32_t *off;
	const uint8_t *code;
	size_t count = 0, size = 0, n;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "jited"))
			continue;
		if (!strcmp(a, "--unchecked") || !strcmp(a, "unchecked"))
			unchecked = true;
		else if (!strcmp(a, "--checked") || !strcmp(a, "checked"))
			checked = true;
		else if (!strcmp(a, "--blind") || !strcmp(a, "blind"))
			blind = true;
		else if (a[0] == '-' && a[1])
			return cli_usage_error("unknown or incomplete option '%s' for 'prog dump jited'", a);
		else if (!file)
			file = a;
		else if (!func)
			func = a;
		else
			return cli_usage_error("unexpected argument '%s' for 'prog dump jited'", a);
	}
	if (!file)
		return cli_usage_error("'prog dump jited' needs a FILE (see '%s prog help')", cli.prog_name);
	if (checked && unchecked)
		return cli_usage_error("give either --checked or --unchecked, not both");
	if (!nyk_vm_jit_available())
		return cli_error("this build has no JIT for this machine (x86-64 only)");
	if ((rc = load_insns(file, func, &insns, &count, &obj, &prog)))
		return rc;
	/* By default the code `prog run` would run: unchecked once the verifier accepts the program. */
	why = "as asked";
	if (!unchecked && !checked) {
		unchecked = prog_dump_verified(insns, count, obj, prog);
		why = unchecked ? "verified" : "not verified";
	}

	nyk_error_clear(&err);
	vm = nyk_vm_create();
	if (!vm) {
		rc = cli_error("out of memory");
		goto out;
	}
	{
		struct nyk_vm_opts o = { .size = sizeof(o) };
		o.flags = NYK_VM_JIT | (unchecked ? NYK_VM_UNCHECKED : 0) | (blind ? NYK_VM_JIT_BLIND : 0);
		nyk_vm_set_opts(vm, &o);
	}
	register_placeholders(vm, insns, count);
	nyk_vm_set_lddw_resolver(vm, resolve_placeholder, NULL);
	if (nyk_vm_load(vm, insns, count, &err) < 0) {
		nyk_error_set_file(&err, file);
		rc = cli_lib_error(&err);
		goto out;
	}
	code = nyk_vm_jit_code(vm, &size);
	off = nyk_vm_jit_offsets(vm, &n);

	if (cli.json) {
		json_begin_object();
		json_key("mode");
		json_string(unchecked ? "unchecked" : "checked");
		json_key("size");
		json_u64(size);
		json_key("prologue");
		json_code(code, 0, off[0]);
		json_key("insns");
		json_begin_array();
		for (size_t pc = 0; pc < n; pc++) {
			char text[128];
			int slots = nyk_disasm_insn(insns, count, pc, NYK_SYNTAX_C, text, sizeof(text));
			size_t next = pc + (slots > 0 ? (size_t)slots : 1);
			json_begin_object();
			json_key("pc");
			json_u64(pc);
			json_key("insn");
			json_string(slots > 0 ? text : "?");
			json_key("offset");
			json_u64(off[pc]);
			json_key("code");
			json_code(code, off[pc], off[next]);
			json_end_object();
			pc = next - 1;
		}
		json_end_array();
		json_key("stubs");
		json_code(code, off[n], size);
		json_end_object();
		json_finish();
	} else {
		printf("; %s: %zu eBPF instructions, %zu bytes of x86-64 (%s mode, %s%s)\n", file, count, size,
		       unchecked ? "unchecked" : "checked", why, blind ? ", constants blinded" : "");
#ifndef NYK_HAVE_CAPSTONE
		printf("; (built without capstone: raw bytes)\n");
#endif
		printf("; prologue\n");
		print_code(code, 0, off[0], "    ");
		for (size_t pc = 0; pc < n; pc++) {
			char text[128];
			int slots = nyk_disasm_insn(insns, count, pc, NYK_SYNTAX_C, text, sizeof(text));
			size_t next = pc + (slots > 0 ? (size_t)slots : 1);
			printf("%5zu: %s\n", pc, slots > 0 ? text : "?");
			print_code(code, off[pc], off[next], "    ");
			pc = next - 1;
		}
		printf("; epilogue and shared stubs\n");
		print_code(code, off[n], size, "    ");
	}
	rc = EXIT_OK;
out:
	nyk_vm_destroy(vm);
	nyk_object_close(obj);
	free(insns);
	return rc;
}
