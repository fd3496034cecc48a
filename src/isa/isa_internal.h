/*
 * isa_internal.h - ISA helpers shared inside the library.
 *
 * isa_index: a per-opcode index of the instruction table, built in one pass
 * over the table, so that looking up an instruction costs a few compares.
 * isa_decode: validate a program and, optionally, give each slot its row.
 */
#ifndef NYUKI_ISA_INTERNAL_H
#define NYUKI_ISA_INTERNAL_H

#include "nyuki/isa.h"

struct isa_index {
	uint8_t first[256];     /* row index + 1 of the first row with this opcode, 0 if none */
	uint8_t next[256];      /* row index + 1 of the next row with the same opcode, 0 at end */
};

void isa_index_build(struct isa_index *idx);
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
