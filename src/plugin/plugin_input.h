/*
 * plugin_input.h - the input side of nyuki-conformance-plugin, kept apart
 * from its main() so that tests and fuzzers can call it: the command line,
 * the hex text the conformance runner sends, turning bytes into a program
 * (raw instructions or an ELF object) and running it in the interpreter.
 *
 * The protocol (docs/plugin.md): the runner starts the plugin as
 *
 *     plugin [MEM] [OPTIONS...] [--elf]
 *
 * with MEM, when the test has memory, as one argument of hex bytes, and
 * writes the program to stdin as hex bytes and a newline. The plugin prints
 * r0 in hex and exits 0, or prints one line with the reason and exits 1.
 *
 * Nothing here prints or exits; every failure comes back in a nyk_error.
 */
#ifndef NYUKI_PLUGIN_INPUT_H
#define NYUKI_PLUGIN_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

enum plugin_executor { PLUGIN_EXEC_INTERP, PLUGIN_EXEC_JIT };

struct plugin_args {
	const char *mem_hex;       /* MEM argument, NULL when absent */
	const char *program_hex;   /* --program HEX, NULL to read stdin */
	enum plugin_executor executor;
	bool elf;                  /* --elf: the program is an ELF object */
	bool help;                 /* --help */
	char *storage;             /* split option words; plugin_args_free() */
};

/* The ELF function the runner names its program. */
#define PLUGIN_ELF_FUNCTION "main"

/* Helper ids registered for every run. */
enum { PLUGIN_HELPER_KTIME_GET_NS = 5 };

/*
 * Parse argv (argv[0] is the program name). Empty arguments are ignored
 * and an option argument holding spaces is split into words, as older
 * runners pass all plugin options as one argument.
 */
int plugin_parse_args(int argc, char **argv, struct plugin_args *args, struct nyk_error *err);
void plugin_args_free(struct plugin_args *args);

/*
 * Decode hex text: bytes as two hex digits separated by any whitespace
 * (runs of digits such as "deadbeef" and a "0x" prefix are accepted too).
 * `what` names the input in errors ("program", "memory"). *out is
 * malloc'ed (NULL when empty).
 */
int plugin_parse_hex(const char *text, size_t len, const char *what, uint8_t **out, size_t *out_len,
		     struct nyk_error *err);

/*
 * Turn the decoded program bytes into instructions: raw 8-byte slots, or
 * with `elf` the code of function "main" (or the first function) of an
 * ELF64 EM_BPF object. *insns is malloc'ed.
 */
int plugin_load_program(const uint8_t *bytes, size_t len, bool elf, struct nyk_insn **insns, size_t *count,
			struct nyk_error *err);

/*
 * Load the program into a checked vm (helper 5 registered) of `executor`
 * (the interpreter, or the JIT: -ENOTSUP where the build has none) and
 * run it with r1 = a writable copy of mem (NULL when mem_len is 0) and
 * r2 = mem_len. `budget` caps executed instructions (0: the vm default).
 * Returns 0 with *r0 set, or a negative errno with the reason in err.
 */
int plugin_run(enum plugin_executor executor, const struct nyk_insn *insns, size_t count, const uint8_t *mem,
	       size_t mem_len, uint64_t budget, uint64_t *r0, struct nyk_error *err);

#endif
