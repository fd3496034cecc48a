/*
 * asm_internal.h - what the assembler's lexer (asm_lex.c), its parser
 * (asm.c) and the disassembler (disasm.c) share.
 *
 * The assembler works one line at a time. struct asm_state holds the
 * cursor over the current statement (the line without its comment), the
 * instructions emitted so far, the labels and the jumps still waiting for
 * a label (fixups). Lexing functions named lex_* consume input; peek_*
 * functions only look. Every function that can fail returns 0 or a
 * negative errno after filling the error with file, line and column.
 */
#ifndef NYUKI_ASM_INTERNAL_H
#define NYUKI_ASM_INTERNAL_H

#include <stdint.h>

#include "isa/isa_internal.h"

/* Longest mnemonic of the conformance dialect, in words and bytes. */
enum { ASM_MNEMONIC_MAX = 32 };

/* A number as written: magnitude and sign kept apart, so that range checks never overflow. */
struct asm_num {
	uint64_t mag;
	int neg;
	int hex;
	const char *at;   /* where it starts in the text (for messages) */
	size_t len;
};

/* A label definition, kept in an open-addressing hash table. */
struct asm_label {
	const char *name; /* NULL: empty entry; points into the input text */
	uint32_t len;
	uint32_t hash;
	size_t slot;      /* instruction slot the label names */
	int line;
};

/* A jump or call whose target is a label, resolved when the text ends. */
enum { ASM_FIX_OFF, ASM_FIX_IMM };
struct asm_fixup {
	size_t pc;
	const char *name;
	uint32_t len;
	uint8_t kind;     /* ASM_FIX_OFF (16-bit off) or ASM_FIX_IMM (32-bit imm) */
	int line, column;
};

/* Conformance mnemonics (and the prefixes of multi-word ones), hashed. */
struct asm_name {
	const char *key;  /* NULL: empty entry */
	uint8_t len;
	uint8_t row;      /* first row with this name + 1; 0 for a prefix only */
};
enum { ASM_NAME_SLOTS = 1024 };

struct asm_state {
	const char *file;
	struct nyk_error *err;

	/* The statement being read: [p, end) within the line starting at `line`. */
	const char *line, *p, *end;
	int lineno;
	const char *prev;         /* last token consumed, for "after '...'" */
	size_t prev_len;

	struct nyk_insn *insns;
	size_t count, cap;

	struct asm_label *labels;
	size_t nlabels, label_cap;
	struct asm_fixup *fixups;
	size_t nfixups, fixup_cap;

	/* The instruction table, seen three ways. */
	const struct nyk_insn_desc *table;
	size_t nrows;
	uint8_t same_name[256];               /* next row with the same name + 1 */
	uint8_t by_form[256];                 /* row indices grouped by form */
	uint16_t form_start[NYK_FORM_COUNT + 1];
	struct asm_name names[ASM_NAME_SLOTS];
};

/* asm_lex.c: errors. */
int asm_error_at(struct asm_state *s, const char *at, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
int asm_expected(struct asm_state *s, const char *what);
int asm_out_of_memory(struct asm_state *s);

/* asm_lex.c: characters and tokens. */
int asm_hex_value(int c);   /* 0..15, or -1 when c is not a hex digit */
int asm_is_ident_start(int c);
int asm_is_ident_char(int c);
int asm_is_ws(int c);

/* Skip blanks (the hottest function of the assembler, hence inline). */
static inline void asm_skip_ws(struct asm_state *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || asm_is_ws((unsigned char)*s->p)))
		s->p++;
}

static inline int asm_at_end(struct asm_state *s)
{
	asm_skip_ws(s);
	return s->p >= s->end;
}
int asm_peek_char(struct asm_state *s, char c);
int asm_accept_char(struct asm_state *s, char c);
int asm_expect_char(struct asm_state *s, char c);
size_t asm_peek_ident(struct asm_state *s, const char **start);
int asm_accept_word(struct asm_state *s, const char *word);
int asm_expect_word(struct asm_state *s, const char *word);
size_t asm_lex_ident(struct asm_state *s, const char **start);
void asm_consumed(struct asm_state *s, const char *start, size_t len);

/* asm_lex.c: registers (r0..r10, w0..w10, optionally written %r0). */
int asm_peek_reg(struct asm_state *s);
int asm_lex_reg(struct asm_state *s, unsigned *reg, int *is32);
int asm_expect_reg(struct asm_state *s, unsigned *reg, int *is32);

/* asm_lex.c: numbers and their range checks. */
int asm_peek_num(struct asm_state *s);
int asm_lex_num(struct asm_state *s, struct asm_num *n);
int asm_expect_num(struct asm_state *s, const char *what, struct asm_num *n);
int asm_num_imm32(struct asm_state *s, const struct asm_num *n, int32_t *out);
int asm_num_u32(struct asm_state *s, const struct asm_num *n, const char *what, int32_t *out);
int asm_num_off16(struct asm_state *s, const struct asm_num *n, const char *what, int16_t *out);
int asm_num_imm64(struct asm_state *s, const struct asm_num *n, uint64_t *out);
int asm_lex_reg_plus(struct asm_state *s, char close, unsigned *reg, struct asm_num *n);

/* asm_lex.c: FNV-1a, for the label and mnemonic hash tables. */
uint32_t asm_hash(const char *s, size_t len);

/* asm_lex.c: labels and fixups. */
int asm_label_define(struct asm_state *s, const char *name, size_t len, const char *at);
int asm_fixup_add(struct asm_state *s, uint8_t kind, const char *name, size_t len);
int asm_fixups_resolve(struct asm_state *s);

/* Two's-complement reinterpretations, without implementation-defined casts. */
static inline int32_t asm_s32(uint32_t v)
{
	return v <= INT32_MAX ? (int32_t)v : (int32_t)(v - 0x80000000u) - INT32_MAX - 1;
}

static inline int16_t asm_s16(uint16_t v)
{
	return v <= INT16_MAX ? (int16_t)v : (int16_t)((int32_t)v - 65536);
}

/* Shared with the disassembler: spellings derived from a table row. */

/* Sign-extending load? (opcode mode MEMSX) */
static inline int asm_is_sx_load(const struct nyk_insn_desc *d)
{
	return d->form == NYK_FORM_LDX && (d->opcode & 0xe0) == NYK_MODE_MEMSX;
}

/* The named atomic operations (xchg, cmpxchg) have a word, not a symbol, as op. */
static inline int asm_atomic_is_named(const struct nyk_insn_desc *d)
{
	return d->op[0] >= 'a' && d->op[0] <= 'z';
}

/*
 * The operation word of an atomic row: the last word of its name without
 * the "32" of 32-bit rows ("lock fetch add32" -> "add"). Sets *len.
 */
const char *asm_atomic_word(const struct nyk_insn_desc *d, size_t *len);

#endif
