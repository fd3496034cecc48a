/*
 * test_rt.h - what the runtime's unit tests (test_progtype.c,
 * test_helpers.c) share: a small writer of eBPF ELF objects (programs in
 * named sections, legacy `maps`, a .data section, lddw relocations), so
 * that nyk_program_test_run runs real objects without a compiler, and
 * instruction builders.
 */
#ifndef NYUKI_TEST_RT_H
#define NYUKI_TEST_RT_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/isa.h"
#include "nyuki/object.h"

#define TI(op, dst, src, off, imm) \
	((struct nyk_insn){ (uint8_t)(op), nyk_insn_regs(dst, src), (int16_t)(off), (int32_t)(imm) })
#define T_MOV_K(d, imm) TI(0xb7, d, 0, 0, imm)
#define T_MOV_X(d, s) TI(0xbf, d, s, 0, 0)
#define T_ADD_K(d, imm) TI(0x07, d, 0, 0, imm)
#define T_ADD_X(d, s) TI(0x0f, d, s, 0, 0)
#define T_LDXW(d, s, off) TI(0x61, d, s, off, 0)
#define T_LDXH(d, s, off) TI(0x69, d, s, off, 0)
#define T_LDXB(d, s, off) TI(0x71, d, s, off, 0)
#define T_LDXDW(d, s, off) TI(0x79, d, s, off, 0)
#define T_STXW(d, s, off) TI(0x63, d, s, off, 0)
#define T_STXB(d, s, off) TI(0x73, d, s, off, 0)
#define T_STXDW(d, s, off) TI(0x7b, d, s, off, 0)
#define T_STW(d, off, imm) TI(0x62, d, 0, off, imm)
#define T_STDW(d, off, imm) TI(0x7a, d, 0, off, imm)
#define T_JA(off) TI(0x05, 0, 0, off, 0)
#define T_JEQ_K(d, imm, off) TI(0x15, d, 0, off, imm)
#define T_JNE_K(d, imm, off) TI(0x55, d, 0, off, imm)
#define T_JGT_X(d, s, off) TI(0x2d, d, s, off, 0)
#define T_CALL(id) TI(0x85, 0, 0, 0, id)
#define T_CALL_LOCAL(rel) TI(0x85, 0, 1, 0, rel)
#define T_EXIT TI(0x95, 0, 0, 0, 0)
#define T_LDDW(d, v) TI(0x18, d, 0, 0, (int32_t)(uint32_t)(uint64_t)(v)), TI(0, 0, 0, 0, (int32_t)((uint64_t)(v) >> 32))
#define T_LDDW_SRC(d, src, imm, imm2) TI(0x18, d, src, 0, imm), TI(0, 0, 0, 0, imm2)
/* lddw of a symbol (map or .data variable), filled by a relocation. */
#define T_LDDW_SYM(d) TI(0x18, d, 0, 0, 0), TI(0, 0, 0, 0, 0)
#define T_FUNC(d, rel) TI(0x18, d, NYK_PSEUDO_FUNC, 0, rel), TI(0, 0, 0, 0, 0)
#define T_N(p) (sizeof(p) / sizeof((p)[0]))

/*
 * An lddw whose 64-bit constant is TOBJ_MAP(i) refers to map i, TOBJ_DATA to
 * the .data variable "gdata": the writer turns it into an R_BPF_64_64
 * relocation, as clang emits for `&map` and `&global`.
 */
#define TOBJ_MAP(i) (0x5eed0000u + (i))
#define TOBJ_DATA 0x5eed00ffu

struct tobj_prog {
	const char *section;
	const char *name;
	const char *text;                 /* assembly (nyk_asm), or NULL for insns */
	const struct nyk_insn *insns;
	size_t count;
};

struct tobj_map {
	const char *name;
	uint32_t type, key_size, value_size, max_entries, flags;
};

struct tobj {
	struct tobj_prog progs[4];
	size_t nprogs;
	struct tobj_map maps[6];
	size_t nmaps;
	const void *data;     /* .data, one variable "gdata" covering it (NULL: none) */
	size_t data_len;
};

/* Write the object as a little-endian ELF64 EM_BPF relocatable file; malloc'ed. */
int tobj_write(const struct tobj *o, void **elf, size_t *len);
/* Write, open and load; NULL (the error printed) on failure. */
struct nyk_object *tobj_load(const struct tobj *o);
/* One program in `section`, no maps: the common case. */
struct nyk_object *tobj_load1(const char *section, const struct nyk_insn *insns, size_t count);
/* The same from assembly text. */
struct nyk_object *tobj_load_asm(const char *section, const char *text);
/* Load one program and test-run it; returns the test-run result and fills err. */
int tobj_run1(const char *section, const struct nyk_insn *insns, size_t count, struct nyk_test_run *run,
	      struct nyk_error *err);

#endif
