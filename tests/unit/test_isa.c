/*
 * test_isa.c - the instruction table and the validator.
 */
#include <errno.h>

#include "isa/isa_internal.h"
#include "test.h"

#define I(op, dst, src, off, imm) { (op), nyk_insn_regs(dst, src), (off), (imm) }
#define EXIT I(0x95, 0, 0, 0, 0)

/* Build the canonical encoding of a row with some operands filled in. */
static struct nyk_insn encode_row(const struct nyk_insn_desc *d)
{
	struct nyk_insn i = { d->opcode, 0, 0, 0 };
	unsigned dst = (d->fields & NYK_F_DST) ? 1 : 0, src = (d->fields & NYK_F_SRC) ? 2 : 0;

	if (d->selector == NYK_SEL_SRC) src = (unsigned)d->sel_value;
	i.regs = nyk_insn_regs(dst, src);
	if (d->fields & NYK_F_OFF) i.off = (d->form == NYK_FORM_JA || d->form == NYK_FORM_JMP_K ||
					    d->form == NYK_FORM_JMP_X) ? 0 : -8;
	if (d->selector == NYK_SEL_OFF) i.off = (int16_t)d->sel_value;
	if (d->fields & NYK_F_IMM) i.imm = 7;
	if (d->selector == NYK_SEL_IMM) i.imm = d->sel_value;
	if (d->form == NYK_FORM_JA32 || d->form == NYK_FORM_CALL_LOCAL) i.imm = 0;
	return i;
}

TEST(isa_every_row_is_found_by_lookup)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	struct isa_index idx;

	CHECK(n > 160);
	isa_index_build(&idx);
	for (size_t r = 0; r < n; r++) {
		struct nyk_insn i = encode_row(&t[r]);
		CHECK_MSG(isa_index_lookup(&idx, &i) == &t[r], "row %zu (%s) not found by index", r, t[r].name);
		CHECK_MSG(nyk_isa_lookup(&i) == &t[r], "row %zu (%s) not found by lookup", r, t[r].name);
	}
}

TEST(isa_rows_are_unique)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			CHECK_MSG(!(t[a].opcode == t[b].opcode && t[a].selector == t[b].selector &&
				    t[a].sel_value == t[b].sel_value),
				  "rows %zu and %zu (%s) share an encoding", a, b, t[a].name);
}

TEST(isa_every_row_validates)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	for (size_t r = 0; r < n; r++) {
		struct nyk_insn prog[4] = { encode_row(&t[r]), EXIT, EXIT, EXIT };
		struct nyk_error err;
		if (t[r].form == NYK_FORM_LDDW) {
			prog[1] = (struct nyk_insn){ 0, 0, 0, 0 };
			if (t[r].sel_value == NYK_PSEUDO_FUNC)
				prog[0].imm = 1;
		}
		nyk_error_clear(&err);
		CHECK_MSG(nyk_validate(prog, 4, &err) == 0, "row %s: %s", t[r].name, err.message);
	}
}

TEST(isa_covers_every_group_and_version)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	int groups[NYK_GROUP_COUNT] = { 0 }, versions[5] = { 0 };

	for (size_t r = 0; r < n; r++) {
		groups[t[r].group]++;
		versions[t[r].version]++;
	}
	for (int g = 0; g < NYK_GROUP_COUNT; g++)
		CHECK_MSG(groups[g] > 0, "group %s has no instruction", nyk_group_name((unsigned)g));
	for (int v = 1; v <= 4; v++)
		CHECK_MSG(versions[v] > 0, "version v%d has no instruction", v);
}

static int validate_error(const struct nyk_insn *p, size_t n, const char *expect, long insn)
{
	struct nyk_error err;
	nyk_error_clear(&err);
	if (nyk_validate(p, n, &err) != -EINVAL)
		return 0;
	if (!strstr(err.message, expect)) {
		printf("    message was: %s\n", err.message);
		return 0;
	}
	return err.insn == insn;
}

TEST(isa_validate_rejects_bad_programs)
{
	struct nyk_insn bad_opcode[] = { I(0xff, 0, 0, 0, 0), EXIT };
	struct nyk_insn bad_reg[] = { I(0xb7, 11, 0, 0, 1), EXIT };
	struct nyk_insn write_r10[] = { I(0xb7, 10, 0, 0, 1), EXIT };
	struct nyk_insn jump_out[] = { I(0x05, 0, 0, 5, 0), EXIT };
	struct nyk_insn jump_back_out[] = { I(0x05, 0, 0, -2, 0), EXIT };
	struct nyk_insn truncated_lddw[] = { EXIT, I(0x18, 0, 0, 0, 1) };
	struct nyk_insn bad_lddw_hi[] = { I(0x18, 0, 0, 0, 1), I(0x07, 0, 0, 0, 0), EXIT };
	struct nyk_insn into_lddw[] = { I(0x05, 0, 0, 1, 0), I(0x18, 0, 0, 0, 1), I(0, 0, 0, 0, 0), EXIT };
	struct nyk_insn fall_off[] = { I(0xb7, 0, 0, 0, 1) };
	struct nyk_insn fall_off_cond[] = { EXIT, I(0x15, 0, 0, -2, 0) };
	struct nyk_insn bad_div_off[] = { I(0x3f, 0, 1, 2, 0), EXIT };
	struct nyk_insn bad_end_imm[] = { I(0xd4, 0, 0, 0, 8), EXIT };
	struct nyk_insn reserved_off[] = { I(0x07, 0, 0, 1, 1), EXIT };
	struct nyk_insn call_out[] = { I(0x85, 0, 1, 0, 7), EXIT };

	CHECK(validate_error(NULL, 0, "empty program", -1));
	CHECK(validate_error(bad_opcode, 2, "unknown opcode 0xff", 0));
	CHECK(validate_error(bad_reg, 2, "invalid register r11", 0));
	CHECK(validate_error(write_r10, 2, "r10 is read-only", 0));
	CHECK(validate_error(jump_out, 2, "outside the program", 0));
	CHECK(validate_error(jump_back_out, 2, "outside the program", 0));
	CHECK(validate_error(truncated_lddw, 2, "truncated", 1));
	CHECK(validate_error(bad_lddw_hi, 3, "second slot", 1));
	CHECK(validate_error(into_lddw, 4, "second slot of an lddw", 0));
	CHECK(validate_error(fall_off, 1, "falls through", 0));
	CHECK(validate_error(fall_off_cond, 2, "falls through", 1));
	CHECK(validate_error(bad_div_off, 2, "invalid offset 2", 0));
	CHECK(validate_error(bad_end_imm, 2, "invalid immediate 8", 0));
	CHECK(validate_error(reserved_off, 2, "offset must be 0", 0));
	CHECK(validate_error(call_out, 2, "outside the program", 0));
}

TEST(isa_validate_accepts_lddw_at_end_before_exit)
{
	struct nyk_insn p[] = { I(0x18, 1, 0, 0, 1), I(0, 0, 0, 0, 2), I(0x05, 0, 0, -3, 0) };
	CHECK(nyk_validate(p, 3, NULL) == 0);
}
