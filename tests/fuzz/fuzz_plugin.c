/*
 * fuzz_plugin.c - the input side of nyuki-conformance-plugin: command line,
 * hex memory and program text, raw or ELF program loading, and a short
 * checked run in the interpreter.
 *
 * Input layout: line 1 is the command line (words split at spaces, memory
 * first as the runner sends it), line 2 the memory hex, the rest the
 * program hex read from stdin.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/plugin_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 8, RUN_BUDGET = 20000 };

/* Next '\n'-terminated line of [*p, end), NUL-terminated in place. */
static char *next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl < end ? nl + 1 : end;
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, *end, *cmd, *mem_line, *prog_text;
	char *argv[MAX_ARGS + 2];
	int argc = 1;
	struct plugin_args args;
	struct nyk_error err;
	uint8_t *mem = NULL, *prog = NULL;
	size_t mem_len = 0, prog_len = 0, count = 0;
	struct nyk_insn *insns = NULL;
	uint64_t r0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	end = text + size;
	cmd = next_line(&p, end);
	mem_line = next_line(&p, end);
	prog_text = p;

	argv[0] = "nyuki-conformance-plugin";
	if (mem_line && mem_line[0])
		argv[argc++] = mem_line;
	for (char *w = cmd ? strtok(cmd, " ") : NULL; w && argc < MAX_ARGS; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;

	nyk_error_clear(&err);
	if (plugin_parse_args(argc, argv, &args, &err) < 0) {
		if (!err.message[0])
			abort();
		goto out;
	}
	if (plugin_parse_hex(prog_text, (size_t)(end - prog_text), "program", &prog, &prog_len, &err) < 0 ||
	    (args.mem_hex && plugin_parse_hex(args.mem_hex, strlen(args.mem_hex), "memory", &mem, &mem_len, &err) < 0) ||
	    plugin_load_program(prog, prog_len, args.elf, &insns, &count, &err) < 0 ||
	    plugin_run(PLUGIN_EXEC_INTERP, insns, count, mem, mem_len, RUN_BUDGET, &r0, &err) < 0) {
		if (!err.message[0] || err.code >= 0)
			abort();   /* every failure says why */
	}
	plugin_args_free(&args);
out:
	free(insns);
	free(prog);
	free(mem);
	free(text);
	return 0;
}
