/*
 * prog.c - `nyuki prog ...`: run and inspect programs.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/helpers.h"
#include "cli/objcmd.h"

static int do_prog_help(int argc, char **argv)
{
	fprintf(stderr,
		"Usage: %s prog run FILE [--func NAME] [--mem FILE | --mem-hex HEX] [--trace]\n"
		"                       [--jit | --interp] [--checked | --unchecked] [--budget N] [--repeat N]\n"
		"                       [--no-verify]\n"
		"       %s prog help\n"
		"\n"
		"       FILE := { assembly text | raw bytecode | ELF object }\n"
		"       The program runs with r1 = the memory (a copy of --mem or --mem-hex\n"
		"       bytes, or NULL) and r2 = its length; r0 is printed.\n"
		"       --jit        compile to machine code and run that (the default where\n"
		"                    this build has a JIT: x86-64)\n"
		"       --interp     run in the interpreter (which also counts instructions)\n"
		"       --trace      print each executed instruction and the registers it changed\n"
		"                    (runs in the interpreter)\n"
		"       A program the verifier accepts runs unchecked (no bounds checks, no\n"
		"       instruction budget), as the kernel runs it; one run with --no-verify\n"
		"       runs in checked mode, which catches faults and stops endless loops.\n"
		"       --checked    keep the checks even for a verified program\n"
		"       --unchecked  trust the program even when it is not verified\n"
		"       --budget N   stop after N instructions (checked mode; default 2^32)\n"
		"       --repeat N   run N times and report the average duration\n"
		"       --no-verify  run without proving it safe first (checked mode still catches\n"
		"                    faults); by default a program the verifier refuses is not run\n"
		"       data_in FILE is accepted as an alias of --mem FILE.\n"
		"       %s prog dump FILE [PROG] jited [--checked | --unchecked] [--blind]\n"
		"       the machine code the JIT makes of the program, under each eBPF instruction\n"
		"       (disassembled when built with capstone; -j: JSON): by default the code\n"
		"       `prog run` runs, unchecked when the verifier accepts the program\n",
		cli.prog_name, cli.prog_name, cli.prog_name);
	prog_object_help();
	prog_verify_help();
	return EXIT_OK;
}

struct trace_state {
	const struct nyk_insn *insns;
	size_t count;
	uint64_t steps;
};

static void print_trace(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
			unsigned changed, unsigned depth)
{
	struct trace_state *ts = user;
	char text[128];

	(void)insn;
	ts->steps++;
	if (nyk_disasm_insn(ts->insns, ts->count, pc, NYK_SYNTAX_C, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "?");
	printf("%*s%5zu: %-36s", (int)depth * 2, "", pc, text);
	for (unsigned r = 0; r < NYK_REG_COUNT; r++)
		if (changed & (1u << r))
			printf(" r%u=0x%" PRIx64, r, regs[r]);
	putchar('\n');
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* `prog run` on a program without an object around it (assembly, raw bytecode, a bare ELF function). */
struct raw_run_args {
	const char *file, *func, *mem_file, *mem_hex;
	uint64_t budget, repeat;
	bool trace, checked, unchecked, want_jit, want_interp, no_verify;
};

static const struct cli_opt raw_run_opts[] = {
	CLI_SET("--trace", NULL, struct raw_run_args, trace),
	CLI_SET("--checked", NULL, struct raw_run_args, checked),
	CLI_SET("--unchecked", NULL, struct raw_run_args, unchecked),
	CLI_SET("--no-verify", NULL, struct raw_run_args, no_verify),
	CLI_SET("--jit", NULL, struct raw_run_args, want_jit),
	CLI_SET("--interp", NULL, struct raw_run_args, want_interp),
	CLI_STRING("--mem", "data_in", struct raw_run_args, mem_file),
	CLI_STRING("--mem-hex", NULL, struct raw_run_args, mem_hex),
	CLI_STRING("--func", NULL, struct raw_run_args, func),
	CLI_NUMBER("--budget", NULL, struct raw_run_args, budget, 1, UINT64_MAX, "a positive number"),
	CLI_NUMBER("--repeat", "repeat", struct raw_run_args, repeat, 1, UINT64_MAX, "a positive number"),
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static int parse_raw_run_args(struct raw_run_args *a, int argc, char **argv)
{
	static const struct cli_opt *const tables[] = { raw_run_opts, NULL };
	struct cli_walk w = { .cmd = "prog run", .tables = tables, .args = a, .positional = { &a->file } };
	int rc;

	a->repeat = 1;
	if ((rc = cli_walk_args(&w, argc, argv)))
		return rc;
	if (!a->file)
		return cli_usage_error("'prog run' needs a FILE (see '%s prog help')", cli.prog_name);
	if ((rc = cli_not_both(a->mem_file != NULL, "--mem", a->mem_hex != NULL, "--mem-hex")))
		return rc;
	if ((rc = cli_not_both(a->checked, "--checked", a->unchecked, "--unchecked")))
		return rc;
	if (a->trace && cli.json)
		return cli_usage_error("--trace prints text; it cannot be combined with --json");
	if (a->want_jit && a->trace && !a->want_interp)
		return cli_usage_error("--trace runs in the interpreter; it cannot be combined with --jit");
	return cli_check_executor(a->want_jit, a->want_interp);
}

static int do_prog_run(int argc, char **argv)
{
	struct raw_run_args a = { 0 };
	uint64_t r0 = 0, total_ns = 0, insn_count = 0;
	struct nyk_insn *insns = NULL;
	size_t count = 0, mem_len = 0;
	uint8_t *mem = NULL, *run_mem = NULL;
	struct nyk_vm *vm = NULL;
	struct nyk_error err;
	bool jit;
	int rc;

	if (prog_run_wants_object(argc, argv))   /* ELF objects: prog_object.c */
		return prog_run_object(argc, argv);
	if ((rc = parse_raw_run_args(&a, argc, argv)))
		return rc;
	jit = !a.want_interp && !a.trace && nyk_vm_jit_available();

	if ((rc = cli_load_program(a.file, a.func, &insns, &count)))
		return rc;
	if (a.mem_file) {
		char *data;
		if ((rc = cli_read_file(a.mem_file, &data, &mem_len)))
			goto out;
		mem = (uint8_t *)data;
	} else if (a.mem_hex && cli_parse_hex(a.mem_hex, &mem, &mem_len)) {
		rc = cli_usage_error("--mem-hex: '%s' is not a list of hex bytes", a.mem_hex);
		goto out;
	}
	if (!a.no_verify && (rc = prog_run_verify_insns_sized(a.file, a.func, insns, count, mem_len)))
		goto out;

	nyk_error_clear(&err);
	vm = nyk_vm_create();
	if (!vm) {
		rc = cli_error("out of memory");
		goto out;
	}
	{
		struct nyk_vm_opts opts = { .size = sizeof(opts) };
		/* Verified: checks would only cost time (a budget or a trace asks for checked mode). */
		bool fast = a.unchecked || (!a.no_verify && !a.checked && !a.budget && !a.trace);
		opts.flags = (fast ? NYK_VM_UNCHECKED : 0) | (jit ? NYK_VM_JIT : NYK_VM_COUNT);
		opts.insn_budget = a.budget;
		nyk_vm_set_opts(vm, &opts);
	}
	if (cli_register_helpers(vm, &err) < 0 || nyk_vm_load(vm, insns, count, &err) < 0) {
		nyk_error_set_file(&err, a.file);
		rc = cli_lib_error(&err);
		goto out;
	}
	run_mem = mem_len ? malloc(mem_len) : NULL;
	if (mem_len && !run_mem) {
		rc = cli_error("out of memory");
		goto out;
	}
	for (uint64_t n = 0; n < a.repeat; n++) {
		struct trace_state ts = { insns, count, 0 };
		uint64_t t0;
		int res;

		if (mem_len)
			memcpy(run_mem, mem, mem_len);   /* every run sees the same input */
		t0 = now_ns();
		if (a.trace)
			res = nyk_vm_exec_traced(vm, run_mem, mem_len, &r0, print_trace, &ts, &err);
		else
			res = nyk_vm_exec(vm, run_mem, mem_len, &r0, &err);
		total_ns += now_ns() - t0;
		if (res < 0) {
			nyk_error_set_file(&err, a.file);
			rc = cli_lib_error(&err);
			goto out;
		}
		insn_count = nyk_vm_last_insn_count(vm);
		a.trace = false;   /* trace the first run only */
	}

	if (cli.json) {
		json_begin_object();
		json_key("retval");
		json_u64(r0);
		json_key("retval_hex");
		{
			char hex[24];
			snprintf(hex, sizeof(hex), "0x%" PRIx64, r0);
			json_string(hex);
		}
		json_key("executor");
		json_string(jit ? "jit" : "interp");
		if (!jit) {
			json_key("insns_executed");
			json_u64(insn_count);
		}
		json_key("repeat");
		json_u64(a.repeat);
		json_key("duration_ns");
		json_u64(total_ns / a.repeat);
		json_end_object();
		json_finish();
	} else {
		printf("Return value: 0x%" PRIx64 " (%" PRIu64 ")\n", r0, r0);
		if (!cli.quiet && jit)
			printf("Executor: jit, duration%s: %" PRIu64 " ns\n", a.repeat > 1 ? " (average)" : "",
			       total_ns / a.repeat);
		else if (!cli.quiet)
			printf("Instructions executed: %" PRIu64 ", duration%s: %" PRIu64 " ns\n", insn_count,
			       a.repeat > 1 ? " (average)" : "", total_ns / a.repeat);
	}
	rc = EXIT_OK;
out:
	nyk_vm_destroy(vm);
	free(run_mem);
	free(mem);
	free(insns);
	return rc;
}

/* `prog dump ... jited` is the JIT's (prog_jited.c); the rest is the object loader's. */
static int do_prog_dump_any(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "jited"))
			return prog_dump_jited(argc, argv);
	return do_prog_dump(argc, argv);
}

static const struct cli_cmd prog_cmds[] = {
	{ "run", do_prog_run, "run a program (JIT or interpreter)" },
	{ "verify", do_prog_verify, "prove a program safe (nyuki's verifier, or the kernel's)" },
	{ "show", do_prog_show, "programs, maps and data sections of an object" },
	{ "list", do_prog_show, "same as show" },
	{ "dump", do_prog_dump_any, "disassemble a program: eBPF with source lines (xlated) or machine code (jited)" },
	{ "help", do_prog_help, "this help" },
	{ NULL, NULL, NULL },
};

int do_prog(int argc, char **argv)
{
	return cli_dispatch(prog_cmds, argc, argv, "command", do_prog_help);
}
