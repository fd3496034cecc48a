/*
 * isa_internal.h - ISA helpers shared inside the library.
 *
 * isa_index: a per-opcode index of the instruction table, built in one pass
 * over the table, so that looking up an instruction costs a few compares.
 * isa_decode: validate a program and, optionally, give each slot its row.
 */
#ifndef NYUKI_ISA_INTERNAL_H
#define NYUKI_ISA_INTERNAL_H

#include <string.h>

#include "nyuki/isa.h"

struct isa_index {
	uint8_t first[256];     /* row index + 1 of the first row with this opcode, 0 if none */
	uint8_t next[256];      /* row index + 1 of the next row with the same opcode, 0 at end */
};

/*
 * What isa_decode looks up per slot, derived from the table once per
 * process (isa_decoder_shared): direct rows for opcodes without a
 * selector, and each row's fields as masks.
 */
struct isa_decoder {
	struct isa_index idx;
	uint8_t only[256];      /* row index + 1 when the opcode has one row and no selector, else 0 */
	uint8_t flags[256];     /* per row: ISA_ROW_* */
	uint64_t zero[256];     /* per row: bits of the slot (as isa_slot_bits reads it) that must be 0 */
};

/* Per-row facts isa_decode checks without looking at the row itself. */
enum {
	ISA_ROW_WRITES_DST = 1,   /* dst must not be r10 */
	ISA_ROW_FETCH_SRC = 2,    /* an atomic fetch writes src: src must not be r10 */
	ISA_ROW_BRANCH = 4,       /* has a target in the program (jumps, local calls, lddw of a function) */
};

/* The 8 bytes of a slot as one word, to test fields against isa_index.zero. */
static inline uint64_t isa_slot_bits(const struct nyk_insn *insn)
{
	uint64_t v;
	memcpy(&v, insn, sizeof(v));
	return v;
}

void isa_index_build(struct isa_index *idx);
/* The decoder, built once for the whole process (thread-safe). */
const struct isa_decoder *isa_decoder_shared(void);
const struct nyk_insn_desc *isa_index_lookup(const struct isa_index *idx, const struct nyk_insn *insn);

/*
 * Validate `insns` (see nyk_validate) and, when `rows` is not NULL, store
 * each slot's row there (NULL for the second slot of an lddw).
 */
int isa_decode(const struct nyk_insn *insns, size_t count, const struct nyk_insn_desc **rows,
	       struct nyk_error *err);

/* Jump or call target of a branch at `pc` (pc + off + 1 or pc + imm + 1). */
long isa_branch_target(const struct nyk_insn_desc *d, const struct nyk_insn *insn, size_t pc);

/*
 * Check that the fields row `d` does not use are zero and its registers are
 * r0..r10. Returns 0, or -EINVAL filling `err` (which may be NULL).
 */
int isa_check_fields(const struct nyk_insn_desc *d, const struct nyk_insn *insn, struct nyk_error *err);

/* Whether the row's instruction writes its dst register. */
int isa_writes_dst(const struct nyk_insn_desc *d);

#endif
