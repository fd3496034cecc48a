/*
 * decode.c - look instructions up in the table and validate programs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"

/* Bits of a slot that row `d` requires to be 0: the fields it has no use for. */
static uint64_t unused_field_bits(const struct nyk_insn_desc *d)
{
	struct nyk_insn m = { 0, 0, 0, 0 };
	unsigned used = d->fields;

	if (d->selector == NYK_SEL_SRC) used |= NYK_F_SRC;
	if (d->selector == NYK_SEL_OFF) used |= NYK_F_OFF;
	if (d->selector == NYK_SEL_IMM) used |= NYK_F_IMM;
	m.regs = (uint8_t)((used & NYK_F_DST ? 0 : 0x0f) | (used & NYK_F_SRC ? 0 : 0xf0));
	m.off = (int16_t)(used & NYK_F_OFF ? 0 : -1);
	m.imm = used & NYK_F_IMM ? 0 : -1;
	return isa_slot_bits(&m);
}

static int row_is_branch(const struct nyk_insn_desc *d)
{
	switch (d->form) {
	case NYK_FORM_JA: case NYK_FORM_JA32: case NYK_FORM_JMP_K: case NYK_FORM_JMP_X: case NYK_FORM_CALL_LOCAL:
		return 1;
	case NYK_FORM_LDDW:
		return d->sel_value == NYK_PSEUDO_FUNC;
	default:
		return 0;
	}
}

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

static void decoder_build(struct isa_decoder *dec)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	memset(dec, 0, sizeof(*dec));
	isa_index_build(&dec->idx);
	for (size_t i = 0; i < n; i++) {
		dec->zero[i] = unused_field_bits(&t[i]);
		dec->flags[i] = (uint8_t)((isa_writes_dst(&t[i]) ? ISA_ROW_WRITES_DST : 0) |
					  (row_is_branch(&t[i]) ? ISA_ROW_BRANCH : 0) |
					  (t[i].form == NYK_FORM_ATOMIC && (t[i].sel_value & NYK_ATOMIC_FETCH) ?
						   ISA_ROW_FETCH_SRC : 0));
	}
	/* Most opcodes have one row and no selector: those need no walk. */
	for (unsigned op = 0; op < 256; op++) {
		unsigned r = dec->idx.first[op];
		if (r && !dec->idx.next[r - 1] && t[r - 1].selector == NYK_SEL_NONE)
			dec->only[op] = (uint8_t)r;
	}
}

static struct isa_decoder shared_decoder;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void build_shared_decoder(void)
{
	decoder_build(&shared_decoder);
}

const struct isa_decoder *isa_decoder_shared(void)
{
	pthread_once(&shared_once, build_shared_decoder);
	return &shared_decoder;
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

/*
 * Whether slot `insn` is well formed for row `r` (check_fields without the
 * messages): the unused fields are 0, registers are r0..r10 (an unused
 * register field is 0, so testing both is right), r10 is not written.
 */
static int fields_ok(const struct isa_decoder *dec, unsigned r, const struct nyk_insn *insn)
{
	unsigned dst = nyk_insn_dst(insn), src = nyk_insn_src(insn), f = dec->flags[r];

	/* One test of all conditions: most programs pass them all, and a branch each would mispredict. */
	unsigned bad = ((isa_slot_bits(insn) & dec->zero[r]) != 0) | (dst >= NYK_REG_COUNT) | (src >= NYK_REG_COUNT);

	bad |= ((f & ISA_ROW_WRITES_DST) != 0) & (dst == NYK_REG_FP);
	bad |= ((f & ISA_ROW_FETCH_SRC) != 0) & (src == NYK_REG_FP);
	return !bad;
}

/* First pass: every slot is a known, well-formed instruction; rows[pc] is its row (NULL for lddw's second). */
static int decode_slots(const struct isa_decoder *dec, const struct nyk_insn *insns, size_t count,
			const struct nyk_insn_desc **rows, struct nyk_error *err)
{
	const struct nyk_insn_desc *t = nyk_isa_table(NULL);

	for (size_t pc = 0; pc < count; pc++) {
		const struct nyk_insn *in = &insns[pc];
		const struct nyk_insn_desc *d;
		int rc;

		d = dec->only[in->opcode] ? &t[dec->only[in->opcode] - 1] : isa_index_lookup(&dec->idx, in);
		if (!d)
			return at(err, pc, no_row_error(&dec->idx, in, err));
		if (!fields_ok(dec, (unsigned)(d - t), in) && (rc = check_fields(d, in, err)))
			return at(err, pc, rc);
		rows[pc] = d;
		if (d->form == NYK_FORM_LDDW) {
			const struct nyk_insn *hi = &insns[pc + 1];
			if (pc + 1 >= count)
				return at(err, pc, nyk_error_set(err, -EINVAL,
								 "lddw is truncated: its second slot is missing"));
			if (hi->opcode || hi->regs || hi->off)
				return at(err, pc + 1, nyk_error_set(err, -EINVAL,
					"second slot of lddw must have opcode, registers and offset 0"));
			rows[++pc] = NULL;
		}
	}
	return 0;
}

/* Second pass: branch targets land on instructions inside the program. */
static int check_targets(const struct isa_decoder *dec, const struct nyk_insn *insns, size_t count,
			 const struct nyk_insn_desc *const *rows, struct nyk_error *err)
{
	const struct nyk_insn_desc *t = nyk_isa_table(NULL);

	for (size_t pc = 0; pc < count; pc++) {
		const struct nyk_insn_desc *d = rows[pc];
		long target;

		if (!d || !(dec->flags[d - t] & ISA_ROW_BRANCH))
			continue;
		target = isa_branch_target(d, &insns[pc], pc);
		if (target < 0 || (size_t)target >= count)
			return at(err, pc, nyk_error_set(err, -EINVAL, "%s target %ld is outside the program (0..%zu)",
							 d->name, target, count - 1));
		if (!rows[target])
			return at(err, pc, nyk_error_set(err, -EINVAL, "%s target %ld is the second slot of an lddw",
							 d->name, target));
	}
	return 0;
}

int isa_decode(const struct nyk_insn *insns, size_t count, const struct nyk_insn_desc **rows,
	       struct nyk_error *err)
{
	const struct isa_decoder *dec = isa_decoder_shared();
	const struct nyk_insn_desc **own = NULL;
	int rc;

	if (count == 0)
		return nyk_error_set(err, -EINVAL, "empty program");
	if (!rows) {
		rows = own = malloc(count * sizeof(*own));
		if (!own)
			return nyk_error_set(err, -ENOMEM, "out of memory validating %zu instructions", count);
	}
	rc = decode_slots(dec, insns, count, rows, err);
	if (!rc)
		rc = check_targets(dec, insns, count, rows, err);
	/* Third: the last instruction must not fall through off the end. */
	if (!rc) {
		size_t last = rows[count - 1] ? count - 1 : count - 2;
		const struct nyk_insn_desc *d = rows[last];
		if (d->form != NYK_FORM_EXIT && d->form != NYK_FORM_JA && d->form != NYK_FORM_JA32)
			rc = at(err, last, nyk_error_set(err, -EINVAL,
				"%s is the last instruction and falls through off the end of the program", d->name));
	}
	free(own);
	return rc;
}

int nyk_validate(const struct nyk_insn *insns, size_t count, struct nyk_error *err)
{
	return isa_decode(insns, count, NULL, err);
}
