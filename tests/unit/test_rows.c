/*
 * test_rows.c - every row of the instruction table is assembled,
 * disassembled (both syntaxes), validated and executed.
 */
#include <errno.h>
#include <stdlib.h>

#include "nyuki/nyuki.h"
#include "test.h"

#define I(op, dst, src, off, imm) ((struct nyk_insn){ (op), nyk_insn_regs(dst, src), (off), (imm) })
#define LDDW_LO(dst, v) I(0x18, dst, 0, 0, (int32_t)(uint32_t)(v))
#define LDDW_HI(v) I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define EXIT I(0x95, 0, 0, 0, 0)

enum { KFUNC_ID = 1234, MAX_PROG = 32 };

static uint64_t helper5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return 55;
}

static int resolve_lddw(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
			struct nyk_error *err)
{
	uint8_t *mem = user;
	*value = (uint64_t)(uintptr_t)(mem + (src == NYK_PSEUDO_MAP_VALUE || src == NYK_PSEUDO_MAP_IDX_VALUE ? next_imm : 0));
	return 0;
}

/* The row under test, with operands that make sense for its form. */
static struct nyk_insn row_insn(const struct nyk_insn_desc *d, int sub_offset)
{
	struct nyk_insn i = I(d->opcode, 0, 0, 0, 0);
	unsigned dst = 0, src = 2;
	int16_t off = 0;
	int32_t imm = 7;

	switch (d->form) {
	case NYK_FORM_LDX: dst = 0; src = 1; off = 8; break;
	case NYK_FORM_ST: dst = 1; off = 8; imm = 0x55; break;
	case NYK_FORM_STX: case NYK_FORM_ATOMIC: dst = 1; src = 2; off = 8; break;
	case NYK_FORM_LD_IND: src = 3; imm = 2; break;
	case NYK_FORM_LD_ABS: imm = 4; break;
	case NYK_FORM_CALL: imm = 5; break;
	case NYK_FORM_CALL_KFUNC: imm = KFUNC_ID; break;
	case NYK_FORM_CALL_LOCAL: imm = sub_offset; break;
	case NYK_FORM_CALLX: dst = 3; break;
	case NYK_FORM_JA: case NYK_FORM_JMP_K: case NYK_FORM_JMP_X: off = 0; break;
	case NYK_FORM_JA32: imm = 0; break;
	case NYK_FORM_LDDW: imm = d->sel_value == NYK_PSEUDO_FUNC ? sub_offset : 8; break;
	default: break;
	}
	if (!(d->fields & NYK_F_DST)) dst = 0;
	if (!(d->fields & NYK_F_SRC)) src = 0;
	if (!(d->fields & NYK_F_OFF)) off = 0;
	if (!(d->fields & NYK_F_IMM)) imm = 0;
	switch (d->selector) {
	case NYK_SEL_SRC: src = (unsigned)d->sel_value; break;
	case NYK_SEL_OFF: off = (int16_t)d->sel_value; break;
	case NYK_SEL_IMM: imm = d->sel_value; break;
	default: break;
	}
	i.regs = nyk_insn_regs(dst, src);
	i.off = off;
	i.imm = imm;
	return i;
}

struct seen {
	size_t pc;
	int hit;
};

static void trace(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
		  unsigned changed, unsigned depth)
{
	struct seen *s = user;
	if (pc == s->pc)
		s->hit = 1;
}

/* Round trip of one instruction through text in one syntax. */
static int round_trips(const struct nyk_insn *prog, size_t count, size_t pc, enum nyk_syntax syntax, char *text,
		       size_t size)
{
	struct nyk_insn *back = NULL;
	size_t n = 0;
	struct nyk_error err;
	int slots = nyk_disasm_insn(prog, count, pc, syntax, text, size);
	int ok;

	if (slots <= 0)
		return 0;
	nyk_error_clear(&err);
	if (nyk_asm(text, strlen(text), "row", &back, &n, &err) < 0) {
		printf("    asm of '%s' failed: %s\n", text, err.message);
		return 0;
	}
	ok = n == (size_t)slots && memcmp(back, &prog[pc], (size_t)slots * sizeof(*back)) == 0;
	free(back);
	return ok;
}

TEST(rows_every_row_assembles_disassembles_validates_and_runs)
{
	size_t nrows;
	const struct nyk_insn_desc *t = nyk_isa_table(&nrows);
	uint8_t mem[64];

	for (size_t r = 0; r < nrows; r++) {
		const struct nyk_insn_desc *d = &t[r];
		struct nyk_insn prog[MAX_PROG];
		size_t n = 0, row_pc, sub;
		struct nyk_error err;
		char text[160];
		struct seen seen;
		uint64_t r0;
		struct nyk_vm *vm;
		int rc;

		/* r6 = mem; r0, r2 = patterns; r3 = 5 (helper id for callx, index for ld_ind). */
		prog[n++] = I(0xbf, 6, 1, 0, 0);
		prog[n++] = LDDW_LO(0, 0x8877665544332211ULL);
		prog[n++] = LDDW_HI(0x8877665544332211ULL);
		prog[n++] = LDDW_LO(2, 0x0000000300000003ULL);
		prog[n++] = LDDW_HI(0x0000000300000003ULL);
		prog[n++] = I(0xb7, 3, 0, 0, 5);
		row_pc = n;
		/* The main part ends two or three slots after the row; the subprogram follows. */
		sub = row_pc + (d->form == NYK_FORM_LDDW ? 2 : 1) + 1;
		prog[n++] = row_insn(d, (int)(sub - row_pc - 1));
		if (d->form == NYK_FORM_LDDW)
			prog[n++] = I(0, 0, 0, 0, d->sel_value == NYK_PSEUDO_MAP_VALUE ||
					       d->sel_value == NYK_PSEUDO_MAP_IDX_VALUE ? 16 : 0);
		if (d->form != NYK_FORM_EXIT)
			prog[n++] = EXIT;
		else
			prog[n++] = EXIT;   /* unreachable, keeps the layout */
		prog[n++] = I(0xb7, 0, 0, 0, 42);   /* subprogram: r0 = 42; exit */
		prog[n++] = EXIT;

		nyk_error_clear(&err);
		CHECK_MSG(nyk_validate(prog, n, &err) == 0, "%s: validate: %s", d->name, err.message);
		CHECK_MSG(round_trips(prog, n, row_pc, NYK_SYNTAX_C, text, sizeof(text)),
			  "%s: C syntax round trip of '%s'", d->name, text);
		CHECK_MSG(round_trips(prog, n, row_pc, NYK_SYNTAX_CONFORMANCE, text, sizeof(text)),
			  "%s: conformance round trip of '%s'", d->name, text);

		vm = nyk_vm_create();
		CHECK(vm != NULL);
		nyk_vm_register_helper(vm, 5, "helper5", helper5, NULL);
		nyk_vm_register_kfunc(vm, KFUNC_ID, "kfunc", helper5, NULL);
		for (size_t b = 0; b < sizeof(mem); b++)
			mem[b] = (uint8_t)(b * 7 + 1);
		nyk_vm_set_lddw_resolver(vm, resolve_lddw, mem);
		rc = nyk_vm_load(vm, prog, n, &err);
		if (rc == 0) {
			seen.pc = row_pc;
			seen.hit = 0;
			rc = nyk_vm_exec_traced(vm, mem, sizeof(mem), &r0, trace, &seen, &err);
		}
		nyk_vm_destroy(vm);
		CHECK_MSG(rc == 0, "%s: run: %s (insn %ld)", d->name, err.message, err.insn);
		CHECK_MSG(seen.hit, "%s: the row's instruction did not execute", d->name);
	}
}

static int refuse_lddw(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
		       struct nyk_error *err)
{
	return nyk_error_set(err, -ENOENT, "no map with fd %d", imm);
}

TEST(rows_pseudo_lddw_and_kfunc_need_the_embedder)
{
	struct nyk_insn map_load[] = { LDDW_LO(1, 3), I(0, 0, 0, 0, 0), EXIT };
	struct nyk_insn kfunc[] = { I(0x85, 0, NYK_CALL_KFUNC, 0, 99), EXIT };
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_error err;

	map_load[0].regs = nyk_insn_regs(1, NYK_PSEUDO_MAP_FD);
	nyk_error_clear(&err);
	CHECK(nyk_vm_load(vm, map_load, 3, &err) == -ENOTSUP);
	CHECK(strstr(err.message, "map fd") && err.insn == 0);
	nyk_vm_set_lddw_resolver(vm, refuse_lddw, NULL);
	CHECK(nyk_vm_load(vm, map_load, 3, &err) == -ENOENT);
	CHECK_STR(err.message, "no map with fd 3");
	CHECK(nyk_vm_load(vm, kfunc, 2, &err) == -ENOENT);
	CHECK(strstr(err.message, "BTF id 99") != NULL);
	CHECK(nyk_vm_register_kfunc(vm, 99, "k", helper5, &err) == 0);
	CHECK(nyk_vm_load(vm, kfunc, 2, &err) == 0);
	{
		uint64_t r0 = 0;
		CHECK(nyk_vm_exec(vm, NULL, 0, &r0, &err) == 0);
		CHECK_EQ(r0, 55);
	}
	nyk_vm_destroy(vm);
}
