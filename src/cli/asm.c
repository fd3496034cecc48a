/*
 * asm.c - `nyuki asm` and `nyuki disasm`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int do_asm_help(void)
{
	fprintf(stderr,
		"Usage: %s asm FILE [-o OUT] [--elf | --raw] [--section NAME] [--func NAME]\n"
		"\n"
		"       Assemble FILE (C-like syntax of llvm-objdump and the verifier log, or the\n"
		"       conformance dialect; detected per line). Without -o the instructions are\n"
		"       printed in hex, one per line. With -o OUT the output is raw bytecode, or an\n"
		"       ELF object when OUT ends in .o or --elf is given (section NAME, default\n"
		"       \".text\"; function symbol NAME, default \"main\").\n",
		cli.prog_name);
	return EXIT_OK;
}

static int do_disasm_help(void)
{
	fprintf(stderr,
		"Usage: %s disasm FILE [--syntax c|conformance] [--func NAME] [--bytes] [--no-index] [--labels]\n"
		"\n"
		"       Disassemble raw bytecode, an ELF object (function NAME, default the first\n"
		"       one) or assembly text. The C-like syntax is the default.\n",
		cli.prog_name);
	return EXIT_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int do_asm(int argc, char **argv)
{
	const char *file = NULL, *out = NULL, *section = ".text", *func = "main";
	bool elf = false, raw = false;
	struct nyk_insn *insns;
	size_t count;
	int rc;

	if (argc >= 1 && !strcmp(argv[0], "help"))
		return do_asm_help();
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (!strcmp(a, "-o") && has_next)
			out = argv[++i];
		else if (!strcmp(a, "--elf"))
			elf = true;
		else if (!strcmp(a, "--raw"))
			raw = true;
		else if (!strcmp(a, "--section") && has_next)
			section = argv[++i];
		else if (!strcmp(a, "--func") && has_next)
			func = argv[++i];
		else if (a[0] == '-' && a[1])
			return cli_usage_error("unknown or incomplete option '%s' for 'asm'", a);
		else if (!file)
			file = a;
		else
			return cli_usage_error("unexpected argument '%s' for 'asm'", a);
	}
	if (!file)
		return cli_usage_error("'asm' needs a FILE (see '%s asm help')", cli.prog_name);
	if (elf && raw)
		return cli_usage_error("give either --elf or --raw, not both");
	if (out && !raw && ends_with(out, ".o"))
		elf = true;

	if ((rc = cli_load_program(file, NULL, &insns, &count)))
		return rc;
	if (out && elf) {
		struct nyk_error err;
		void *obj;
		size_t len;
		nyk_error_clear(&err);
		if (nyk_elf_write(insns, count, section, func, &obj, &len, &err) < 0) {
			rc = cli_lib_error(&err);
		} else {
			rc = cli_write_file(out, obj, len);
			free(obj);
		}
	} else if (out) {
		rc = cli_write_file(out, insns, count * sizeof(*insns));
	} else {
		if (cli.json)
			json_begin_array();
		for (size_t i = 0; i < count; i++) {
			const uint8_t *b = (const uint8_t *)&insns[i];
			char hex[32];
			snprintf(hex, sizeof(hex), "%02x %02x %02x %02x %02x %02x %02x %02x", b[0], b[1], b[2], b[3],
				 b[4], b[5], b[6], b[7]);
			if (cli.json)
				json_string(hex);
			else
				printf("%s\n", hex);
		}
		if (cli.json) {
			json_end_array();
			json_finish();
		}
	}
	free(insns);
	return rc;
}

int do_disasm(int argc, char **argv)
{
	const char *file = NULL, *func = NULL;
	enum nyk_syntax syntax = NYK_SYNTAX_C;
	unsigned flags = NYK_DISASM_INDEX;
	struct nyk_insn *insns;
	size_t count;
	int rc;

	if (argc >= 1 && !strcmp(argv[0], "help"))
		return do_disasm_help();
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (!strcmp(a, "--syntax") && has_next) {
			const char *s = argv[++i];
			if (cli_is_prefix(s, "c") || cli_is_prefix(s, "llvm"))
				syntax = NYK_SYNTAX_C;
			else if (cli_is_prefix(s, "conformance"))
				syntax = NYK_SYNTAX_CONFORMANCE;
			else
				return cli_usage_error("unknown syntax '%s' (c or conformance)", s);
		} else if (!strcmp(a, "--conformance")) {
			syntax = NYK_SYNTAX_CONFORMANCE;
		} else if (!strcmp(a, "--func") && has_next) {
			func = argv[++i];
		} else if (!strcmp(a, "--bytes")) {
			flags |= NYK_DISASM_BYTES;
		} else if (!strcmp(a, "--no-index")) {
			flags &= ~(unsigned)NYK_DISASM_INDEX;
		} else if (!strcmp(a, "--labels")) {
			flags |= NYK_DISASM_LABELS;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown or incomplete option '%s' for 'disasm'", a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage_error("unexpected argument '%s' for 'disasm'", a);
		}
	}
	if (!file)
		return cli_usage_error("'disasm' needs a FILE (see '%s disasm help')", cli.prog_name);
	if ((rc = cli_load_program(file, func, &insns, &count)))
		return rc;

	if (cli.json) {
		json_begin_array();
		for (size_t pc = 0; pc < count;) {
			char text[160];
			int n = nyk_disasm_insn(insns, count, pc, syntax, text, sizeof(text));
			json_begin_object();
			json_key("index");
			json_u64(pc);
			json_key("text");
			json_string(text);
			json_key("valid");
			json_bool(n > 0);
			json_end_object();
			pc += n > 0 ? (size_t)n : 1;
		}
		json_end_array();
		json_finish();
	} else {
		struct nyk_error err;
		char *text;
		nyk_error_clear(&err);
		text = nyk_disasm(insns, count, syntax, flags, &err);
		if (!text) {
			nyk_error_set_file(&err, file);
			rc = cli_lib_error(&err);
		} else {
			fputs(text, stdout);
			free(text);
		}
	}
	free(insns);
	return rc;
}
