/*
 * nyuki/asm.h - assembler and disassembler.
 *
 * Two syntaxes, both read from the instruction table:
 *  - the C-like syntax of llvm-objdump and of the kernel verifier log
 *    (`r0 = *(u32 *)(r1 + 4)`, `if r1 == 0x0 goto +2`, `w0 += w1`), and
 *  - the dialect of eBPF conformance suites (`ldxw %r0, [%r1+4]`,
 *    `jeq %r1, 0, label`, `add32 %r0, %r1`).
 * The assembler detects the syntax per line, so both may be mixed. Labels
 * (`name:`) and comments (`#`, `;` and `//`) are accepted in both.
 *
 * For every instruction, assembling the disassembly gives the same bytes.
 */
#ifndef NYUKI_ASM_H
#define NYUKI_ASM_H

#include <stddef.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

enum nyk_syntax {
	NYK_SYNTAX_C = 0,            /* llvm-objdump / verifier log */
	NYK_SYNTAX_CONFORMANCE = 1,  /* conformance-suite dialect */
};

/*
 * Assemble `len` bytes of `text`. `file` names the input in errors
 * (file:line:column: what was expected). On success *insns is a malloc'ed
 * array the caller frees with free(), *count its number of slots.
 */
int nyk_asm(const char *text, size_t len, const char *file, struct nyk_insn **insns, size_t *count,
	    struct nyk_error *err);

/*
 * Disassemble the instruction at insns[pc] (of `count` slots) into `buf`.
 * Returns the number of slots it takes (1, or 2 for lddw), or a negative
 * errno when the slot is not a valid instruction (buf then holds a
 * description such as ".insn 0xff..."). Branch targets are printed as
 * relative offsets (`goto +3`, `ja +3`).
 */
int nyk_disasm_insn(const struct nyk_insn *insns, size_t count, size_t pc, enum nyk_syntax syntax, char *buf,
		    size_t size);

enum {
	NYK_DISASM_INDEX = 1u << 0,  /* prefix each line with its slot index: "   3: " */
	NYK_DISASM_BYTES = 1u << 1,  /* add the raw bytes like llvm-objdump */
	NYK_DISASM_LABELS = 1u << 2, /* print branch targets as labels (LBB0_3) with label lines */
};

/* Disassemble a program into a malloc'ed, NUL-terminated text. */
char *nyk_disasm(const struct nyk_insn *insns, size_t count, enum nyk_syntax syntax, unsigned flags,
		 struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
