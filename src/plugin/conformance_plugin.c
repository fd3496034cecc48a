/*
 * conformance_plugin.c - nyuki-conformance-plugin: runs one program for an
 * external eBPF conformance runner (bpf_conformance_runner --plugin_path).
 *
 *     nyuki-conformance-plugin [MEM] [--executor interp|jit] [--elf] < program.hex
 *
 * Success: r0 in lowercase hex without "0x" and a newline on stdout, exit 0.
 * Failure: one line with the reason on stdout, exit 1 (2 for a wrong
 * command line). The runner compares that line with a test's `-- error`.
 * See docs/plugin.md for the protocol.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/nyuki.h"
#include "plugin/plugin_input.h"

enum { EXIT_RUN_FAILED = 1, EXIT_BAD_USAGE = 2 };

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [MEM] [--executor interp|jit] [--elf] [--program HEX] < PROGRAM\n"
		"\n"
		"Run one eBPF program for a conformance runner (bpf_conformance protocol).\n"
		"  MEM                 memory for the program as hex bytes (\"01  02  ff  \"), one argument;\n"
		"                      r1 points at a writable copy, r2 holds its length\n"
		"  PROGRAM (stdin)     the program as hex bytes: raw 8-byte instructions, or with --elf\n"
		"                      an ELF64 EM_BPF object whose function '" PLUGIN_ELF_FUNCTION "' is run\n"
		"  --executor NAME     interp (default) or jit (machine code, x86-64)\n"
		"  --elf               the program is an ELF object\n"
		"  --program HEX       take the program from this argument instead of stdin\n"
		"\n"
		"Prints r0 in hex and exits 0, or prints the reason on one line and exits 1.\n",
		prog);
}

/* Print the reason as the single line the runner reads, and give the exit code. */
static int fail(const struct nyk_error *err, int code)
{
	char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];

	nyk_error_format(err, buf, sizeof(buf));
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	printf("%s\n", buf);
	fflush(stdout);
	return code;
}

/* Read all of stdin into a malloc'ed buffer. */
static int read_stdin(char **data, size_t *len, struct nyk_error *err)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (n < cap) {
			if (ferror(stdin)) {
				free(buf);
				return nyk_error_set(err, -EIO, "cannot read the program from stdin: %s", strerror(errno));
			}
			*data = buf;
			*len = n;
			return 0;
		}
		char *bigger = realloc(buf, cap * 2);
		if (!bigger)
			break;
		buf = bigger;
		cap *= 2;
	}
	free(buf);
	return nyk_error_set(err, -ENOMEM, "out of memory reading the program");
}

int main(int argc, char **argv)
{
	struct plugin_args args;
	struct nyk_error err;
	struct nyk_insn *insns = NULL;
	uint8_t *prog = NULL, *mem = NULL;
	size_t prog_len = 0, mem_len = 0, count = 0, text_len = 0;
	char *text = NULL;
	uint64_t r0 = 0;
	int rc;

	nyk_error_clear(&err);
	if (plugin_parse_args(argc, argv, &args, &err) < 0)
		return fail(&err, EXIT_BAD_USAGE);
	if (args.help) {
		usage(stdout, argc > 0 ? argv[0] : "nyuki-conformance-plugin");
		plugin_args_free(&args);
		return 0;
	}
	if (args.program_hex)
		rc = plugin_parse_hex(args.program_hex, strlen(args.program_hex), "program", &prog, &prog_len, &err);
	else if ((rc = read_stdin(&text, &text_len, &err)) == 0)
		rc = plugin_parse_hex(text, text_len, "program", &prog, &prog_len, &err);
	if (rc == 0 && args.mem_hex)
		rc = plugin_parse_hex(args.mem_hex, strlen(args.mem_hex), "memory", &mem, &mem_len, &err);
	if (rc == 0)
		rc = plugin_load_program(prog, prog_len, args.elf, &insns, &count, &err);
	if (rc == 0)
		rc = plugin_run(args.executor, insns, count, mem, mem_len, 0, &r0, &err);

	if (rc == 0) {
		printf("%" PRIx64 "\n", r0);
		rc = fflush(stdout) == 0 ? 0 : EXIT_RUN_FAILED;
	} else {
		rc = fail(&err, EXIT_RUN_FAILED);
	}
	free(insns);
	free(mem);
	free(prog);
	free(text);
	plugin_args_free(&args);
	return rc;
}
