/*
 * decode.c - look instructions up in the table and validate programs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"

void isa_index_build(struct isa_index *idx)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	memset(idx, 0, sizeof(*idx));
	/* Walk backwards so each chain lists rows in table order. */
	for (size_t i = n; i-- > 0;) {
		idx->next[i] = idx->first[t[i].opcode];
		idx->first[t[i].opcode] = (uint8_t)(i + 1);
	}
}

static int32_t selector_field(const struct nyk_insn *insn, unsigned selector)
{
	switch (selector) {
	case NYK_SEL_OFF: return insn->off;
	case NYK_SEL_IMM: return insn->imm;
	case NYK_SEL_SRC: return (int32_t)nyk_insn_src(insn);
	default: return 0;
	}
}

const struct nyk_insn_desc *isa_index_lookup(const struct isa_index *idx, const struct nyk_insn *insn)
{
	const struct nyk_insn_desc *t = nyk_isa_table(NULL);

	for (unsigned r = idx->first[insn->opcode]; r; r = idx->next[r - 1]) {
		const struct nyk_insn_desc *d = &t[r - 1];
		if (d->selector == NYK_SEL_NONE || selector_field(insn, d->selector) == d->sel_value)
			return d;
	}
	return NULL;
}

const struct nyk_insn_desc *nyk_isa_lookup(const struct nyk_insn *insn)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	for (size_t i = 0; i < n; i++)
		if (t[i].opcode == insn->opcode &&
		    (t[i].selector == NYK_SEL_NONE || selector_field(insn, t[i].selector) == t[i].sel_value))
			return &t[i];
	return NULL;
}

long isa_branch_target(const struct nyk_insn_desc *d, const struct nyk_insn *insn, size_t pc)
{
	switch (d->form) {
	case NYK_FORM_JA:
	case NYK_FORM_JMP_K:
	case NYK_FORM_JMP_X:
		return (long)pc + insn->off + 1;
	case NYK_FORM_JA32:
	case NYK_FORM_CALL_LOCAL:
		return (long)pc + (long)insn->imm + 1;
	case NYK_FORM_LDDW:
		if (d->sel_value == NYK_PSEUDO_FUNC)
			return (long)pc + (long)insn->imm + 1;
		return -1;
	default:
		return -1;
	}
}

int isa_writes_dst(const struct nyk_insn_desc *d)
{
	switch (d->form) {
	case NYK_FORM_ALU_K: case NYK_FORM_ALU_X: case NYK_FORM_NEG: case NYK_FORM_MOVSX:
	case NYK_FORM_END: case NYK_FORM_LDX: case NYK_FORM_LDDW:
		return 1;
	default:
		return 0;
	}
}

/* Explain why no row matches: unknown opcode, or a bad selector value. */
static int no_row_error(const struct isa_index *idx, const struct nyk_insn *insn, struct nyk_error *err)
{
	const struct nyk_insn_desc *t = nyk_isa_table(NULL);
	unsigned r = idx->first[insn->opcode];

	if (!r)
		return nyk_error_set(err, -EINVAL, "unknown opcode 0x%02x", insn->opcode);
	switch (t[r - 1].selector) {
	case NYK_SEL_OFF:
		return nyk_error_set(err, -EINVAL, "invalid offset %d for opcode 0x%02x (%s)",
				     insn->off, insn->opcode, t[r - 1].name);
	case NYK_SEL_IMM:
		return nyk_error_set(err, -EINVAL, "invalid immediate %d for opcode 0x%02x (%s)",
				     (int)insn->imm, insn->opcode, t[r - 1].name);
	default:
		return nyk_error_set(err, -EINVAL, "invalid source register field %u for opcode 0x%02x (%s)",
				     nyk_insn_src(insn), insn->opcode, t[r - 1].name);
	}
}

int isa_check_fields(const struct nyk_insn_desc *d, const struct nyk_insn *insn, struct nyk_error *err)
{
	unsigned dst = nyk_insn_dst(insn), src = nyk_insn_src(insn);
	unsigned used = d->fields;

	if (d->selector == NYK_SEL_SRC) used |= NYK_F_SRC;
	if (d->selector == NYK_SEL_OFF) used |= NYK_F_OFF;
	if (d->selector == NYK_SEL_IMM) used |= NYK_F_IMM;

	if (!(used & NYK_F_DST) && dst)
		return nyk_error_set(err, -EINVAL, "%s: dst register field must be 0, not %u", d->name, dst);
	if (!(used & NYK_F_SRC) && src)
		return nyk_error_set(err, -EINVAL, "%s: src register field must be 0, not %u", d->name, src);
	if (!(used & NYK_F_OFF) && insn->off)
		return nyk_error_set(err, -EINVAL, "%s: offset must be 0, not %d", d->name, insn->off);
	if (!(used & NYK_F_IMM) && insn->imm)
		return nyk_error_set(err, -EINVAL, "%s: immediate must be 0, not %d", d->name, (int)insn->imm);
	if ((d->fields & NYK_F_DST) && dst >= NYK_REG_COUNT)
		return nyk_error_set(err, -EINVAL, "%s: invalid register r%u", d->name, dst);
	if ((d->fields & NYK_F_SRC) && src >= NYK_REG_COUNT)
		return nyk_error_set(err, -EINVAL, "%s: invalid register r%u", d->name, src);
	return 0;
}

/* Well-formed fields, and r10 is never written. */
static int check_fields(const struct nyk_insn_desc *d, const struct nyk_insn *insn, struct nyk_error *err)
{
	int rc = isa_check_fields(d, insn, err);

	if (rc)
		return rc;
	if (isa_writes_dst(d) && nyk_insn_dst(insn) == NYK_REG_FP)
		return nyk_error_set(err, -EINVAL, "%s: r10 is read-only", d->name);
	if (d->form == NYK_FORM_ATOMIC && (d->sel_value & NYK_ATOMIC_FETCH) && nyk_insn_src(insn) == NYK_REG_FP)
		return nyk_error_set(err, -EINVAL, "%s: r10 is read-only (fetch writes src)", d->name);
	return 0;
}

static int at(struct nyk_error *err, size_t pc, int rc)
{
	if (err)
		err->insn = (long)pc;
	return rc;
}

int isa_decode(const struct nyk_insn *insns, size_t count, const struct nyk_insn_desc **rows,
	       struct nyk_error *err)
{
	struct isa_index idx;
	uint8_t *second;   /* second[pc] = 1 when pc is the second slot of an lddw */
	int rc = 0;

	if (count == 0)
		return nyk_error_set(err, -EINVAL, "empty program");
	second = calloc(count, 1);
	if (!second)
		return nyk_error_set(err, -ENOMEM, "out of memory validating %zu instructions", count);
	isa_index_build(&idx);

	/* First pass: every slot is a known, well-formed instruction. */
	for (size_t pc = 0; pc < count && !rc; pc++) {
		const struct nyk_insn_desc *d = isa_index_lookup(&idx, &insns[pc]);
		if (!d) {
			rc = at(err, pc, no_row_error(&idx, &insns[pc], err));
			break;
		}
		if ((rc = check_fields(d, &insns[pc], err))) {
			rc = at(err, pc, rc);
			break;
		}
		if (rows)
			rows[pc] = d;
		if (d->form == NYK_FORM_LDDW) {
			const struct nyk_insn *hi = &insns[pc + 1];
			if (pc + 1 >= count) {
				rc = at(err, pc, nyk_error_set(err, -EINVAL, "lddw is truncated: its second slot is missing"));
				break;
			}
			if (hi->opcode || hi->regs || hi->off) {
				rc = at(err, pc + 1, nyk_error_set(err, -EINVAL,
					"second slot of lddw must have opcode, registers and offset 0"));
				break;
			}
			if (rows)
				rows[pc + 1] = NULL;
			second[++pc] = 1;
		}
	}

	/* Second pass: branch targets land on instructions inside the program. */
	for (size_t pc = 0; pc < count && !rc; pc++) {
		const struct nyk_insn_desc *d;
		long target;

		if (second[pc])
			continue;
		d = isa_index_lookup(&idx, &insns[pc]);
		target = isa_branch_target(d, &insns[pc], pc);
		if (d->form == NYK_FORM_LDDW && d->sel_value != NYK_PSEUDO_FUNC)
			continue;
		if (d->form != NYK_FORM_JA && d->form != NYK_FORM_JA32 && d->form != NYK_FORM_JMP_K &&
		    d->form != NYK_FORM_JMP_X && d->form != NYK_FORM_CALL_LOCAL && d->form != NYK_FORM_LDDW)
			continue;
		if (target < 0 || (size_t)target >= count)
			rc = at(err, pc, nyk_error_set(err, -EINVAL, "%s target %ld is outside the program (0..%zu)",
						       d->name, target, count - 1));
		else if (second[target])
			rc = at(err, pc, nyk_error_set(err, -EINVAL, "%s target %ld is the second slot of an lddw",
						       d->name, target));
	}

	/* Third: the last instruction must not fall through off the end. */
	if (!rc) {
		size_t last = second[count - 1] ? count - 2 : count - 1;
		const struct nyk_insn_desc *d = isa_index_lookup(&idx, &insns[last]);
		if (d->form != NYK_FORM_EXIT && d->form != NYK_FORM_JA && d->form != NYK_FORM_JA32)
			rc = at(err, last, nyk_error_set(err, -EINVAL,
				"%s is the last instruction and falls through off the end of the program", d->name));
	}
	free(second);
	return rc;
}

int nyk_validate(const struct nyk_insn *insns, size_t count, struct nyk_error *err)
{
	return isa_decode(insns, count, NULL, err);
}
