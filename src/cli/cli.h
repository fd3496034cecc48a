/*
 * cli.h - shared pieces of the nyuki command: global options, argument
 * walking, error printing and JSON output.
 *
 * Grammar (bpftool's): nyuki [OPTIONS] OBJECT COMMAND [ARGS]
 * Every object has a `help` command; object and command names may be
 * abbreviated to any unique prefix.
 */
#ifndef NYUKI_CLI_H
#define NYUKI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nyuki/nyuki.h"

/* Exit codes: 0 success, 1 the operation failed, 2 the command line is wrong. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	bool json;       /* -j / --json */
	bool pretty;     /* -p / --pretty (implies json) */
	bool quiet;      /* -q / --quiet */
	const char *prog_name;
};

extern struct cli cli;

/* One object (prog, asm, ...) or command (run, show, ...). */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/*
 * Find argv[0] in `cmds` by exact name or unique prefix and run it with the
 * remaining arguments. `what` names the level in errors ("object", "command").
 */
int cli_dispatch(const struct cli_cmd *cmds, int argc, char **argv, const char *what, int (*help)(int, char **));

/* Whether `arg` is a prefix of `word` (bpftool's is_prefix). */
bool cli_is_prefix(const char *arg, const char *word);

/* Print "Error: ..." to stderr (as JSON {"error": ...} with -j on stdout). Returns EXIT_FAIL. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, for a wrong command line; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a library error ("file:line:col: message"). Returns EXIT_FAIL. */
int cli_lib_error(const struct nyk_error *err);
/* Name `file` in a library error that names no file (the library does not always know it). */
void cli_error_default_file(struct nyk_error *err, const char *file);
/* cli_error_default_file, then cli_lib_error. Returns EXIT_FAIL. */
int cli_lib_error_in(struct nyk_error *err, const char *file);

/* A usage error when options `a` and `b`, which exclude each other, were both given; else EXIT_OK. */
int cli_not_both(bool a, const char *a_name, bool b, const char *b_name);
/* `prog run`'s --jit and --interp: not both, and --jit only where this build has a JIT. */
int cli_check_executor(bool jit, bool interp);

/* Read a whole file (or stdin for "-") into a malloc'ed buffer, NUL-terminated. */
int cli_read_file(const char *path, char **data, size_t *len);
/* Write a buffer to a file ("-" for stdout). */
int cli_write_file(const char *path, const void *data, size_t len);

/*
 * Load a program from a file: ELF object (first function, or `func`), raw
 * bytecode (size a multiple of 8 with no text look) or assembly text.
 * On failure prints the error and returns EXIT_FAIL.
 */
int cli_load_program(const char *path, const char *func, struct nyk_insn **insns, size_t *count);

/* Parse "de ad be ef" / "deadbeef" hex into bytes. Returns 0 or -1. */
int cli_parse_hex(const char *text, uint8_t **out, size_t *len);

/* Parse an unsigned number (decimal, 0x hex or 0 octal; no sign). Returns 0 or -1. */
int cli_parse_u64(const char *s, uint64_t *v);

/*
 * A table-driven argument walk, so that each command lists its options
 * instead of repeating the same if/else for each. An option sets a field of
 * the command's argument struct, found by offset.
 */
enum cli_opt_kind {
	CLI_OPT_SET,      /* a flag: sets a bool */
	CLI_OPT_CLEAR,    /* a flag: clears a bool */
	CLI_OPT_STRING,   /* takes a value: sets a const char * */
	CLI_OPT_NUMBER,   /* takes an unsigned number in [min, max]: sets an unsigned field of `size` bytes */
};

struct cli_opt {
	const char *name;     /* "--budget" */
	const char *alias;    /* another spelling ("repeat"), or NULL */
	enum cli_opt_kind kind;
	size_t offset, size;  /* the field in the argument struct */
	uint64_t min, max;    /* CLI_OPT_NUMBER: the range accepted */
	const char *takes;    /* CLI_OPT_NUMBER: said in the usage error ("a positive number") */
};

#define CLI_FIELD(type, field) offsetof(type, field), sizeof(((type *)0)->field)
#define CLI_SET(name, alias, type, field) { name, alias, CLI_OPT_SET, CLI_FIELD(type, field), 0, 0, NULL }
#define CLI_CLEAR(name, alias, type, field) { name, alias, CLI_OPT_CLEAR, CLI_FIELD(type, field), 0, 0, NULL }
#define CLI_STRING(name, alias, type, field) { name, alias, CLI_OPT_STRING, CLI_FIELD(type, field), 0, 0, NULL }
#define CLI_NUMBER(name, alias, type, field, min, max, takes) \
	{ name, alias, CLI_OPT_NUMBER, CLI_FIELD(type, field), min, max, takes }

struct cli_walk {
	const char *cmd;                       /* "prog run": names the command in errors */
	const struct cli_opt *const *tables;   /* NULL-terminated list of tables, each ending with a NULL name */
	void *args;                            /* the struct the options' offsets are in */
	/* How an argument spells option `name` (NULL: exactly `name` or `alias`). */
	bool (*is)(const char *arg, const char *name);
	/* Options no table can say: 1 when argv[*i] was one (consumed), 0 when not, or -(exit code). */
	int (*other)(void *args, int argc, char **argv, int *i);
	const char **positional[3];            /* where the words that are no option go, in order */
};

/*
 * Walk argv with `w`: options, then positional words in order; an unknown
 * option, a missing value, a bad number or one word too many is a usage
 * error (printed). Returns EXIT_OK or the exit code.
 */
int cli_walk_args(const struct cli_walk *w, int argc, char **argv);

/* Minimal JSON writer on stdout, pretty-printed with -p. */
void json_begin_object(void);
void json_end_object(void);
void json_begin_array(void);
void json_end_array(void);
void json_key(const char *key);
void json_string(const char *s);
void json_u64(uint64_t v);
void json_i64(int64_t v);
void json_bool(bool v);
void json_null(void);
/* Finish the document with a newline. */
void json_finish(void);

/* Objects. */
int do_prog(int argc, char **argv);
int do_asm(int argc, char **argv);
int do_disasm(int argc, char **argv);
int do_test(int argc, char **argv);
int do_btf(int argc, char **argv);
int do_map(int argc, char **argv);

#endif
