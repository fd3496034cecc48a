/*
 * objcmd.h - the object commands of the nyuki command: programs of ELF
 * objects (`prog run/show/dump` on an object, prog_object.c) and maps
 * (`map ...`, map.c), and what they share: byte arguments, hex output,
 * map dumps, ring buffer and perf event records.
 */
#ifndef NYUKI_CLI_OBJCMD_H
#define NYUKI_CLI_OBJCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nyuki/map.h"
#include "nyuki/object.h"

/* ---- prog_object.c ----------------------------------------------------- */

/*
 * Whether `prog run ARGS` is for an ELF object (object loader, program
 * types, maps) rather than assembly, raw bytecode or a map-less ELF (the
 * plain vm). Only looks at the arguments and the file.
 */
bool prog_run_wants_object(int argc, char **argv);
int prog_run_object(int argc, char **argv);
int do_prog_show(int argc, char **argv);
int do_prog_dump(int argc, char **argv);
/* `prog dump FILE [PROG] jited`: machine code per eBPF instruction (prog_jited.c). */
int prog_dump_jited(int argc, char **argv);
/* The object part of `prog help`. */
void prog_object_help(void);

/* ---- prog_verify.c ------------------------------------------------------- */

/* `prog verify FILE [PROG] ...`: nyuki's verifier (or the kernel's) on a program. */
int do_prog_verify(int argc, char **argv);
/* The verify part of `prog help`. */
void prog_verify_help(void);
/*
 * What `prog run` does first (unless --no-verify): verify a plain file's
 * instructions (raw memory type) or a loaded object's program. EXIT_OK
 * when safe; otherwise the refusal is printed as an error and EXIT_FAIL
 * returned.
 */
int prog_run_verify_insns(const char *file, const char *func, const struct nyk_insn *insns, size_t count);
/* The same for a run on memory of ctx_size bytes: the verifier knows r2 and the memory's bound. */
int prog_run_verify_insns_sized(const char *file, const char *func, const struct nyk_insn *insns, size_t count,
				size_t ctx_size);
int prog_run_verify_program(const char *file, struct nyk_program *prog);
/*
 * Whether `prog` may run unchecked once verified: every program a tail call
 * could reach from it (those of its type, when the object has a program
 * array) passes the verifier too. Prints nothing.
 */
bool prog_run_targets_verified(struct nyk_object *obj, struct nyk_program *prog);
/* For `prog dump jited`: whether `prog run` would run this code unchecked (prog NULL: a plain file, no memory). */
bool prog_dump_verified(const struct nyk_insn *insns, size_t count, struct nyk_object *obj,
			struct nyk_program *prog);

/* ---- map.c --------------------------------------------------------------- */

/*
 * Dump a map's elements: text like `bpftool map dump` ("key: .. value: ..",
 * per-CPU values one line per CPU, "Found N elements"), or with -j the
 * array bpftool -j prints ([{"key":["0x01",...],"value":[...]}, ...] or
 * "values":[{"cpu":0,"value":[...]}] for per-CPU maps). Types that cannot
 * be walked without consuming them (queue, stack, ring buffer, perf event
 * array) print nothing (JSON: []). Returns the element count or a negative
 * errno.
 */
long map_dump(struct nyk_map *map);

/* Print "NAME (TYPE, key K, value V, max_entries M, flags 0xF)" details of a definition. */
void map_print_def_text(const char *name, const struct nyk_map_def *def);
/* JSON members name/type/key_size/value_size/max_entries/flags (inside an open object). */
void map_print_def_json(const char *name, const struct nyk_map_def *def);

/*
 * Print the records waiting in a ring buffer or perf event array: text
 * "event MAP [cpu N] (SIZE bytes): hex", or JSON objects {"map","cpu"?,
 * "size","data"} inside an open array. At most `max` records (0 = all).
 * Returns the number printed, or a negative errno.
 */
long map_print_events(struct nyk_map *map, const char *name, uint64_t max);

/* Bytes as "01 02 ab" (text) or "0102ab" (compact) into a malloc'ed string. */
char *hex_text(const void *data, size_t len, bool spaced);
/* bpftool's JSON byte arrays: ["0x01","0x02"]. */
void json_hex_array(const void *data, size_t len);

/*
 * Parse bpftool's DATA := [hex] BYTES at argv[*i]: bytes until a keyword
 * or the end, each a number (decimal, 0x.., 0..) or, after `hex`, hex
 * digits ("01 02", "0102" and "01:02" all work). `size` bytes are
 * required (0: any count, *len gets it). Returns 0, or prints a usage
 * error and returns EXIT_USAGE.
 */
int parse_data_arg(int argc, char **argv, int *i, const char *what, uint8_t **out, size_t size, size_t *len);

#endif
