/*
 * test_asm.c - the assembler and the disassembler: every row of the table
 * round trips in both syntaxes with varied operands, random slots round
 * trip through `.insn`, each documented spelling assembles to its bytes
 * (and is what the disassembler prints), and errors name the place.
 */
#include <errno.h>
#include <stdlib.h>

#include "nyuki/asm.h"
#include "test.h"

#define I(op, dst, src, off, imm) { (op), (uint8_t)(((dst) & 15) | (((src) & 15) << 4)), (off), (imm) }

static const int32_t imms[] = { 0, 1, -1, 7, 255, -4096, 0x12345678, INT32_MIN, INT32_MAX };
static const int16_t offs[] = { 0, 1, -1, 42, -8, INT16_MIN, INT16_MAX };

#define NIMMS (sizeof(imms) / sizeof(imms[0]))
#define NOFFS (sizeof(offs) / sizeof(offs[0]))

static const char *syntax_name(enum nyk_syntax syntax)
{
	return syntax == NYK_SYNTAX_C ? "C" : "conformance";
}

static int same_insns(const struct nyk_insn *a, const struct nyk_insn *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].opcode != b[i].opcode || a[i].regs != b[i].regs || a[i].off != b[i].off ||
		    a[i].imm != b[i].imm)
			return 0;
	return 1;
}

static int assemble(const char *text, struct nyk_insn **out, size_t *n, struct nyk_error *err)
{
	return nyk_asm(text, strlen(text), "t.s", out, n, err);
}

/* Encode a row with the given operands: fields the row does not use stay 0. */
static size_t encode(const struct nyk_insn_desc *d, unsigned k, int32_t hi, struct nyk_insn out[2])
{
	unsigned dst = (d->fields & NYK_F_DST) ? k % 11 : 0, src = (d->fields & NYK_F_SRC) ? (k * 7 + 3) % 11 : 0;

	out[0] = (struct nyk_insn){ d->opcode, 0, 0, 0 };
	if (d->fields & NYK_F_OFF)
		out[0].off = offs[k % NOFFS];
	if (d->fields & NYK_F_IMM)
		out[0].imm = imms[(k / NOFFS) % NIMMS];
	if (d->selector == NYK_SEL_SRC)
		src = (unsigned)d->sel_value;
	if (d->selector == NYK_SEL_OFF)
		out[0].off = (int16_t)d->sel_value;
	if (d->selector == NYK_SEL_IMM)
		out[0].imm = d->sel_value;
	out[0].regs = nyk_insn_regs(dst, src);
	if (d->form != NYK_FORM_LDDW)
		return 1;
	out[1] = (struct nyk_insn){ 0, 0, 0, 0 };
	if (d->sel_value == NYK_PSEUDO_NONE || d->sel_value == NYK_PSEUDO_MAP_VALUE ||
	    d->sel_value == NYK_PSEUDO_MAP_IDX_VALUE)
		out[1].imm = hi;
	return 2;
}

/* Disassemble insns[0..n) one instruction at a time, assemble, compare. */
static int round_trip_insn(const struct nyk_insn *insns, size_t n, enum nyk_syntax syntax)
{
	char buf[256];
	struct nyk_insn *back = NULL;
	size_t count = 0;
	struct nyk_error err;
	int slots = nyk_disasm_insn(insns, n, 0, syntax, buf, sizeof(buf)), ok;

	if (slots != (int)n) {
		printf("    %s: %d slots for '%s'\n", syntax_name(syntax), slots, buf);
		return 0;
	}
	if (assemble(buf, &back, &count, &err)) {
		printf("    %s: '%s': %s (col %d)\n", syntax_name(syntax), buf, err.message, err.column);
		return 0;
	}
	ok = count == n && same_insns(insns, back, n);
	if (!ok)
		printf("    %s: '%s' assembled to %zu slots, opcode 0x%02x regs 0x%02x off %d imm %d\n",
		       syntax_name(syntax), buf, count, count ? back[0].opcode : 0, count ? back[0].regs : 0,
		       count ? back[0].off : 0, count ? back[0].imm : 0);
	free(back);
	return ok;
}

/* Disassemble a whole program with `flags`, assemble it back, compare. */
static int round_trip_program(const struct nyk_insn *insns, size_t n, enum nyk_syntax syntax, unsigned flags)
{
	struct nyk_insn *back = NULL;
	size_t count = 0;
	struct nyk_error err;
	char *text = nyk_disasm(insns, n, syntax, flags, &err);
	int ok;

	if (!text) {
		printf("    nyk_disasm: %s\n", err.message);
		return 0;
	}
	if (assemble(text, &back, &count, &err)) {
		char line[200] = "";
		const char *p = text;
		for (int l = 1; l < err.line && p; l++)
			p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
		if (p)
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
		printf("    %s flags %u: line %d col %d '%s': %s\n", syntax_name(syntax), flags, err.line, err.column,
		       line, err.message);
		free(text);
		return 0;
	}
	ok = count == n && same_insns(insns, back, n);
	if (!ok) {
		for (size_t i = 0; i < n && i < count; i++)
			if (!same_insns(&insns[i], &back[i], 1)) {
				printf("    %s flags %u: slot %zu differs (of %zu, got %zu)\n", syntax_name(syntax), flags,
				       i, n, count);
				break;
			}
		if (count != n)
			printf("    %s flags %u: %zu slots, expected %zu\n", syntax_name(syntax), flags, count, n);
	}
	free(text);
	free(back);
	return ok;
}

static const unsigned all_flags[] = {
	0, NYK_DISASM_INDEX, NYK_DISASM_BYTES, NYK_DISASM_INDEX | NYK_DISASM_BYTES, NYK_DISASM_LABELS,
	NYK_DISASM_LABELS | NYK_DISASM_INDEX | NYK_DISASM_BYTES,
};

TEST(asm_every_row_round_trips_in_both_syntaxes)
{
	size_t n, total = 0, cap = 0;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	struct nyk_insn *prog = NULL;
	static const int32_t his[] = { 0, 1, -1, INT32_MIN, INT32_MAX, 0x11223344 };

	for (size_t r = 0; r < n; r++) {
		unsigned variants = 11 > NOFFS * NIMMS ? 11 : (unsigned)(NOFFS * NIMMS);
		for (unsigned k = 0; k < variants; k++) {
			struct nyk_insn insn[2];
			size_t slots = encode(&t[r], k, his[k % 6], insn);
			CHECK_MSG(round_trip_insn(insn, slots, NYK_SYNTAX_C), "row %zu (%s), variant %u", r, t[r].name, k);
			CHECK_MSG(round_trip_insn(insn, slots, NYK_SYNTAX_CONFORMANCE), "row %zu (%s), variant %u", r,
				  t[r].name, k);
			if (total + 2 > cap) {
				cap = cap ? cap * 2 : 1024;
				prog = realloc(prog, cap * sizeof(*prog));
				CHECK(prog);
			}
			memcpy(prog + total, insn, slots * sizeof(*insn));
			total += slots;
		}
	}
	for (size_t f = 0; f < sizeof(all_flags) / sizeof(all_flags[0]); f++) {
		CHECK_MSG(round_trip_program(prog, total, NYK_SYNTAX_C, all_flags[f]), "whole table, C, flags %u",
			  all_flags[f]);
		CHECK_MSG(round_trip_program(prog, total, NYK_SYNTAX_CONFORMANCE, all_flags[f]),
			  "whole table, conformance, flags %u", all_flags[f]);
	}
	free(prog);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A slot that is often almost valid: a real opcode, small registers and fields. */
static struct nyk_insn random_slot(const struct nyk_insn_desc *t, size_t n)
{
	uint64_t r = rng();
	struct nyk_insn i = { (uint8_t)r, (uint8_t)(r >> 8), (int16_t)(r >> 16), (int32_t)(r >> 32) };
	uint64_t choice = rng() % 8;

	if (choice < 5)
		i.opcode = t[rng() % n].opcode;
	if (choice < 4)
		i.regs = nyk_insn_regs((unsigned)(rng() % 12), (unsigned)(rng() % 7));
	if (choice < 3)
		i.off = (int16_t)(rng() % 3 ? (int)(rng() % 9) - 4 : i.off);
	if (choice < 2)
		i.imm = (int32_t)(rng() % 3 ? (int)(rng() % 70) - 3 : i.imm);
	if (choice == 7)
		i = (struct nyk_insn){ 0, 0, 0, (int32_t)(r >> 32) };
	return i;
}

TEST(asm_random_slots_round_trip)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	enum { COUNT = 6000 };
	struct nyk_insn *prog = malloc(COUNT * sizeof(*prog));

	CHECK(prog);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < COUNT; i++)
			prog[i] = random_slot(t, n);
		for (size_t f = 0; f < sizeof(all_flags) / sizeof(all_flags[0]); f++) {
			CHECK_MSG(round_trip_program(prog, COUNT, NYK_SYNTAX_C, all_flags[f]), "round %d", round);
			CHECK_MSG(round_trip_program(prog, COUNT, NYK_SYNTAX_CONFORMANCE, all_flags[f]), "round %d",
				  round);
		}
	}
	free(prog);
}

/* ---- spellings ------------------------------------------------------- */

struct spelling {
	const char *text;
	struct nyk_insn insn[2];
	int canonical;   /* the disassembler prints exactly `text` */
};

#define S1(text, op, dst, src, off, imm, canon) { text, { I(op, dst, src, off, imm), I(0, 0, 0, 0, 0) }, canon }
#define S2(text, op, dst, src, off, imm, hi, canon) { text, { I(op, dst, src, off, imm), I(0, 0, 0, 0, hi) }, canon }

static const struct spelling c_spellings[] = {
	S1("r0 = 1", 0xb7, 0, 0, 0, 1, 1),
	S1("r0 = -1", 0xb7, 0, 0, 0, -1, 1),
	S1("w0 = 1", 0xb4, 0, 0, 0, 1, 1),
	S1("r0 = r1", 0xbf, 0, 1, 0, 0, 1),
	S1("w0 = w1", 0xbc, 0, 1, 0, 0, 1),
	S1("r0 += 5", 0x07, 0, 0, 0, 5, 1),
	S1("w1 -= w2", 0x1c, 1, 2, 0, 0, 1),
	S1("r0 *= r1", 0x2f, 0, 1, 0, 0, 1),
	S1("r0 /= r1", 0x3f, 0, 1, 0, 0, 1),
	S1("r0 s/= r1", 0x3f, 0, 1, 1, 0, 1),
	S1("w0 s%= w1", 0x9c, 0, 1, 1, 0, 1),
	S1("r0 %= 3", 0x97, 0, 0, 0, 3, 1),
	S1("r0 |= r1", 0x4f, 0, 1, 0, 0, 1),
	S1("r0 &= 0xff", 0x57, 0, 0, 0, 255, 0),
	S1("r0 &= 255", 0x57, 0, 0, 0, 255, 1),
	S1("r0 <<= 3", 0x67, 0, 0, 0, 3, 1),
	S1("r0 >>= r1", 0x7f, 0, 1, 0, 0, 1),
	S1("r0 s>>= 2", 0xc7, 0, 0, 0, 2, 1),
	S1("r0 ^= r1", 0xaf, 0, 1, 0, 0, 1),
	S1("r0 = -r0", 0x87, 0, 0, 0, 0, 1),
	S1("w0 = -w0", 0x84, 0, 0, 0, 0, 1),
	S1("r0 = (s8)r1", 0xbf, 0, 1, 8, 0, 1),
	S1("r0 = (s16)r1", 0xbf, 0, 1, 16, 0, 1),
	S1("r0 = (s32)r1", 0xbf, 0, 1, 32, 0, 1),
	S1("w0 = (s8)w1", 0xbc, 0, 1, 8, 0, 1),
	S1("w0 = (s16)w1", 0xbc, 0, 1, 16, 0, 1),
	S1("r0 = le16 r0", 0xd4, 0, 0, 0, 16, 1),
	S1("r0 = be32 r0", 0xdc, 0, 0, 0, 32, 1),
	S1("r0 = bswap64 r0", 0xd7, 0, 0, 0, 64, 1),
	S1("goto +3", 0x05, 0, 0, 3, 0, 1),
	S1("goto -1", 0x05, 0, 0, -1, 0, 1),
	S1("gotol +3", 0x06, 0, 0, 0, 3, 1),
	S1("if r1 == 0x0 goto +2", 0x15, 1, 0, 2, 0, 0),
	S1("if r1 == 0 goto +2", 0x15, 1, 0, 2, 0, 1),
	S1("if r1 != r2 goto -4", 0x5d, 1, 2, -4, 0, 1),
	S1("if w1 s> 5 goto +1", 0x66, 1, 0, 1, 5, 1),
	S1("if r1 & 0x4 goto +1", 0x45, 1, 0, 1, 4, 0),
	S1("if r1 s<= r2 goto +1", 0xdd, 1, 2, 1, 0, 1),
	S1("call 5", 0x85, 0, 0, 0, 5, 1),
	S1("call pc+3", 0x85, 0, 1, 0, 3, 1),
	S1("call pc-2", 0x85, 0, 1, 0, -2, 1),
	S1("call kfunc 1234", 0x85, 0, 2, 0, 1234, 1),
	S1("call kfunc 1234, btf_fd_idx 3", 0x85, 0, 2, 3, 1234, 1),
	S1("callx r2", 0x8d, 2, 0, 0, 0, 1),
	S1("exit", 0x95, 0, 0, 0, 0, 1),
	S1("r0 = *(u32 *)(r1 + 4)", 0x61, 0, 1, 4, 0, 1),
	S1("r0 = *(u64 *)(r10 - 8)", 0x79, 0, 10, -8, 0, 1),
	S1("r0 = *(s8 *)(r1 + 0)", 0x91, 0, 1, 0, 0, 1),
	S1("r3 = *(s32 *)(r1 - 32768)", 0x81, 3, 1, -32768, 0, 1),
	S1("*(u32 *)(r1 + 4) = 5", 0x62, 1, 0, 4, 5, 1),
	S1("*(u64 *)(r10 - 8) = r1", 0x7b, 10, 1, -8, 0, 1),
	S1("*(u8 *)(r1 + 0) = w2", 0x73, 1, 2, 0, 0, 0),
	S1("*(u8 *)(r1 + 0) = r2", 0x73, 1, 2, 0, 0, 1),
	S1("lock *(u64 *)(r10 - 8) += r1", 0xdb, 10, 1, -8, 0, 1),
	S1("lock *(u32 *)(r1 + 0) += w1", 0xc3, 1, 1, 0, 0, 1),
	S1("lock *(u64 *)(r1 + 0) |= r2", 0xdb, 1, 2, 0, 0x40, 1),
	S1("r1 = atomic_fetch_add((u64 *)(r2 + 0), r1)", 0xdb, 2, 1, 0, 0x01, 1),
	S1("w1 = atomic_fetch_and((u32 *)(r2 + 0), w1)", 0xc3, 2, 1, 0, 0x51, 1),
	S1("r1 = xchg_64(r2 + 0, r1)", 0xdb, 2, 1, 0, 0xe1, 1),
	S1("w1 = xchg32_32(r2 + 0, w1)", 0xc3, 2, 1, 0, 0xe1, 1),
	S1("r0 = cmpxchg_64(r2 + 0, r0, r1)", 0xdb, 2, 1, 0, 0xf1, 1),
	S1("w0 = cmpxchg32_32(r2 + 0, w0, w1)", 0xc3, 2, 1, 0, 0xf1, 1),
	S2("r1 = 0x1122334455667788 ll", 0x18, 1, 0, 0, 0x55667788, 0x11223344, 1),
	S2("r1 = -1 ll", 0x18, 1, 0, 0, -1, -1, 0),
	S2("r1 = map[fd:3] ll", 0x18, 1, 1, 0, 3, 0, 1),
	S2("r1 = map[fd:3][0]+16 ll", 0x18, 1, 2, 0, 3, 16, 1),
	S2("r1 = btf_var[42] ll", 0x18, 1, 3, 0, 42, 0, 1),
	S2("r1 = func[pc+4] ll", 0x18, 1, 4, 0, 4, 0, 1),
	S2("r1 = map[idx:2] ll", 0x18, 1, 5, 0, 2, 0, 1),
	S2("r1 = map[idx:2][0]+8 ll", 0x18, 1, 6, 0, 2, 8, 1),
	S1("r0 = *(u32 *)skb[12]", 0x20, 0, 0, 0, 12, 1),
	S1("r0 = *(u16 *)skb[r1 + 4]", 0x48, 0, 1, 0, 4, 1),
	S1("r0 = *(u8 *)skb[r1 - 4]", 0x50, 0, 1, 0, -4, 1),
	S1(".insn 0x00000000000000ff", 0xff, 0, 0, 0, 0, 1),
	/* What llvm-objdump and the kernel's verifier log print. */
	S1("      3:\tb7 00 00 00 01 00 00 00\tr0 = 0x1", 0xb7, 0, 0, 0, 1, 0),
	S1("0: (b7) r0 = 1", 0xb7, 0, 0, 0, 1, 0),
	S1("1: (61) r0 = *(u32 *)(r1 +4)", 0x61, 0, 1, 4, 0, 0),
	S1("r1 += -0x8", 0x07, 1, 0, 0, -8, 0),
	S1("w0 = *(u32 *)(r1 + 0x0)", 0x61, 0, 1, 0, 0, 0),
	S1("if r1 > 0x3 goto +0x2 <LBB0_3>", 0x25, 1, 0, 2, 3, 0),
	S1("goto pc+3", 0x05, 0, 0, 3, 0, 0),
	S1("call pc0", 0x85, 0, 1, 0, 0, 0),
	S1("r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)", 0xdb, 10, 1, -8, 0x01, 0),
	S1("r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)", 0xdb, 1, 2, 0, 0xf1, 0),
	S1("r2 = atomic64_xchg((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0xe1, 0),
	S1("lock *(u32 *)(r1 + 0x0) ^= w2", 0xc3, 1, 2, 0, 0xa0, 0),
	S1("w0 = 0xffffffff", 0xb4, 0, 0, 0, -1, 0),
	S1("r0 = *(u16 *)skb[r1 + -4]", 0x48, 0, 1, 0, -4, 0),
	S1("call r3", 0x8d, 3, 0, 0, 0, 0),
	S1("callx %r3", 0x8d, 3, 0, 0, 0, 0),
};

static const struct spelling conformance_spellings[] = {
	S1("add %r0, 5", 0x07, 0, 0, 0, 5, 1),
	S1("add32 %r1, %r2", 0x0c, 1, 2, 0, 0, 1),
	S1("sdiv32 %r0, 3", 0x34, 0, 0, 1, 3, 1),
	S1("smod %r3, %r4", 0x9f, 3, 4, 1, 0, 1),
	S1("mov %r0, -1", 0xb7, 0, 0, 0, -1, 1),
	S1("mov32 %r0, 0xffffffff", 0xb4, 0, 0, 0, -1, 0),
	S1("movsx832 %r0, %r1", 0xbc, 0, 1, 8, 0, 1),
	S1("movsx3264 %r0, %r1", 0xbf, 0, 1, 32, 0, 1),
	S1("neg %r0", 0x87, 0, 0, 0, 0, 1),
	S1("neg32 %r9", 0x84, 9, 0, 0, 0, 1),
	S1("le16 %r0", 0xd4, 0, 0, 0, 16, 1),
	S1("be64 %r1", 0xdc, 1, 0, 0, 64, 1),
	S1("bswap32 %r0", 0xd7, 0, 0, 0, 32, 1),
	S1("swap32 %r0", 0xd7, 0, 0, 0, 32, 0),
	S1("ja +3", 0x05, 0, 0, 3, 0, 1),
	S1("ja -1", 0x05, 0, 0, -1, 0, 1),
	S1("ja32 +3", 0x06, 0, 0, 0, 3, 1),
	S1("jeq %r1, 5, +2", 0x15, 1, 0, 2, 5, 1),
	S1("jeq32 %r1, %r2, +2", 0x1e, 1, 2, 2, 0, 1),
	S1("jsle %r1, -7, -3", 0xd5, 1, 0, -3, -7, 1),
	S1("call 5", 0x85, 0, 0, 0, 5, 1),
	S1("call helper 5", 0x85, 0, 0, 0, 5, 0),
	S1("call local +3", 0x85, 0, 1, 0, 3, 1),
	S1("call runtime 1234", 0x85, 0, 2, 0, 1234, 1),
	S1("call runtime 1234, btf_fd_idx 7", 0x85, 0, 2, 7, 1234, 1),
	S1("callx %r2", 0x8d, 2, 0, 0, 0, 1),
	S1("call %r2", 0x8d, 2, 0, 0, 0, 0),
	S1("call helper %r2", 0x8d, 2, 0, 0, 0, 0),
	S1("exit", 0x95, 0, 0, 0, 0, 1),
	S1("ldxw %r0, [%r1+4]", 0x61, 0, 1, 4, 0, 1),
	S1("ldxdw %r0, [%r10-8]", 0x79, 0, 10, -8, 0, 1),
	S1("ldxw %r0, [%r1]", 0x61, 0, 1, 0, 0, 1),
	S1("ldxw %r0, [%r1+0]", 0x61, 0, 1, 0, 0, 0),
	S1("ldxdw %r2, [%r1+-2]", 0x79, 2, 1, -2, 0, 0),
	S1("ldxh %r2, [%r1 + 0x7eef]", 0x69, 2, 1, 0x7eef, 0, 0),
	S1("ldxsb %r0, [%r1+2]", 0x91, 0, 1, 2, 0, 1),
	S1("stw [%r1+2], 5", 0x62, 1, 0, 2, 5, 1),
	S1("stxdw [%r10-8], %r1", 0x7b, 10, 1, -8, 0, 1),
	S1("lock add [%r1+0], %r2", 0xdb, 1, 2, 0, 0x00, 0),
	S1("lock add [%r1], %r2", 0xdb, 1, 2, 0, 0x00, 1),
	S1("lock add32 [%r1+4], %r2", 0xc3, 1, 2, 4, 0x00, 1),
	S1("lock fetch add [%r1], %r2", 0xdb, 1, 2, 0, 0x01, 1),
	S1("lock fetch xor32 [%r1], %r2", 0xc3, 1, 2, 0, 0xa1, 1),
	S1("lock xchg32 [%r1], %r2", 0xc3, 1, 2, 0, 0xe1, 1),
	S1("lock cmpxchg [%r1], %r2", 0xdb, 1, 2, 0, 0xf1, 1),
	S2("lddw %r0, 0x1122334455667788", 0x18, 0, 0, 0, 0x55667788, 0x11223344, 1),
	S2("lddw %r0, -1", 0x18, 0, 0, 0, -1, -1, 0),
	S2("lddw %r0, -9223372036854775808", 0x18, 0, 0, 0, 0, INT32_MIN, 0),
	S2("lddw %r0, 18446744073709551615", 0x18, 0, 0, 0, -1, -1, 0),
	S2("lddw %r0, 10", 0x18, 0, 0, 0, 10, 0, 0),
	S2("lddw %r1, map[fd:3]", 0x18, 1, 1, 0, 3, 0, 1),
	S2("lddw %r1, map[idx:2][0]+8", 0x18, 1, 6, 0, 2, 8, 1),
	S2("lddw %r1, func[pc-2]", 0x18, 1, 4, 0, -2, 0, 1),
	S1("ldabsw 12", 0x20, 0, 0, 0, 12, 1),
	S1("ldindh %r1, 4", 0x48, 0, 1, 0, 4, 1),
	S1("ldindb %r7, -1", 0x50, 0, 7, 0, -1, 1),
	S1("  mov %r0, 1   # a comment", 0xb7, 0, 0, 0, 1, 0),
	S1("mov %r0, 1 // a comment", 0xb7, 0, 0, 0, 1, 0),
	S1("mov %r0, 1 ; a comment", 0xb7, 0, 0, 0, 1, 0),
	S1("mov %r0, 1\r", 0xb7, 0, 0, 0, 1, 0),
	S1("\tmov\t%r0,1", 0xb7, 0, 0, 0, 1, 0),
};

static int check_spelling(const struct spelling *sp, enum nyk_syntax syntax)
{
	struct nyk_insn *out = NULL;
	struct nyk_error err;
	size_t n = 0, want = sp->insn[0].opcode == 0x18 ? 2 : 1;
	char buf[256];
	int ok = 1;

	if (assemble(sp->text, &out, &n, &err)) {
		printf("    '%s': %s (line %d col %d)\n", sp->text, err.message, err.line, err.column);
		return 0;
	}
	if (n != want || !same_insns(out, sp->insn, want)) {
		printf("    '%s': %zu slots, opcode 0x%02x regs 0x%02x off %d imm %d\n", sp->text, n,
		       n ? out[0].opcode : 0, n ? out[0].regs : 0, n ? out[0].off : 0, n ? out[0].imm : 0);
		ok = 0;
	}
	if (ok && sp->canonical) {
		nyk_disasm_insn(sp->insn, want, 0, syntax, buf, sizeof(buf));
		if (strcmp(buf, sp->text) != 0) {
			printf("    printed '%s', expected '%s'\n", buf, sp->text);
			ok = 0;
		}
	}
	free(out);
	return ok;
}

TEST(asm_c_spellings)
{
	for (size_t i = 0; i < sizeof(c_spellings) / sizeof(c_spellings[0]); i++)
		CHECK_MSG(check_spelling(&c_spellings[i], NYK_SYNTAX_C), "'%s'", c_spellings[i].text);
}

TEST(asm_conformance_spellings)
{
	for (size_t i = 0; i < sizeof(conformance_spellings) / sizeof(conformance_spellings[0]); i++)
		CHECK_MSG(check_spelling(&conformance_spellings[i], NYK_SYNTAX_CONFORMANCE), "'%s'",
			  conformance_spellings[i].text);
}

TEST(asm_immediate_boundaries)
{
	static const struct { const char *text; int32_t imm; } ok[] = {
		{ "r0 = 2147483647", INT32_MAX }, { "r0 = -2147483648", INT32_MIN }, { "r0 = 0xffffffff", -1 },
		{ "r0 = 0x80000000", INT32_MIN }, { "r0 = -0x80000000", INT32_MIN }, { "mov %r0, 0x7fffffff", INT32_MAX },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct nyk_insn *out = NULL;
		size_t n;
		struct nyk_error err;
		CHECK_MSG(assemble(ok[i].text, &out, &n, &err) == 0, "'%s': %s", ok[i].text, err.message);
		CHECK_MSG(n == 1 && out[0].imm == ok[i].imm, "'%s' gave imm %d", ok[i].text, out[0].imm);
		free(out);
	}
}

/* ---- labels and whole programs --------------------------------------- */

static int assemble_ok(const char *text, struct nyk_insn **out, size_t *n)
{
	struct nyk_error err;
	int rc = assemble(text, out, n, &err);

	if (rc)
		printf("    %d:%d: %s\n", err.line, err.column, err.message);
	return rc == 0;
}

TEST(asm_labels_both_syntaxes)
{
	const char *text =
		"start:\n"
		"  r0 = 0\n"
		"loop: r0 += 1\n"                /* 1 */
		"  if r0 < 10 goto loop\n"       /* 2: off -2 */
		"  jne %r0, 10, bad\n"           /* 3: off +3 */
		"  call sub\n"                   /* 4: imm +5 */
		"  call local sub\n"             /* 5: imm +4 */
		"  goto done\n"                  /* 6: off +2 */
		"bad:\n"
		"  r0 = 1\n"                     /* 7 */
		"  ja32 done\n"                  /* 8: imm 0 */
		"done: exit\n"                   /* 9 */
		"sub:\n"
		"  r1 = func[sub] ll\n"          /* 10: imm -1 */
		"  gotol start\n"                /* 12: imm -13 */
		"  exit\n";
	struct nyk_insn *p = NULL;
	size_t n;

	CHECK(assemble_ok(text, &p, &n));
	CHECK_EQ(n, 14);
	CHECK_EQ(p[2].off, -2);
	CHECK_EQ(p[3].off, 3);
	CHECK_EQ(p[4].imm, 5);
	CHECK_EQ(nyk_insn_src(&p[4]), 1);
	CHECK_EQ(p[5].imm, 4);
	CHECK_EQ(p[6].off, 2);
	CHECK_EQ(p[8].imm, 0);
	CHECK_EQ(p[10].imm, -1);
	CHECK_EQ(nyk_insn_src(&p[10]), 4);
	CHECK_EQ(p[12].imm, -13);
	free(p);
}

TEST(asm_first_exit_is_not_a_label)
{
	struct nyk_error err;
	struct nyk_insn *p = NULL;
	size_t n;

	CHECK(assemble("ja exit\nexit\n", &p, &n, &err) == -EINVAL);
	CHECK_STR(err.message, "undefined label 'exit'");
}

TEST(asm_reads_llvm_objdump_output)
{
	const char *text =
		"\n"
		"prog.o:\tfile format elf64-bpf\n"
		"\n"
		"Disassembly of section xdp:\n"
		"\n"
		"0000000000000000 <xdp_prog>:\n"
		"       0:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0x0 ll\n"
		"\t\t0000000000000000:  R_BPF_64_64\tmy_map\n"
		"       2:\tb7 00 00 00 02 00 00 00\tr0 = 0x2\n"
		"       3:\t15 01 01 00 00 00 00 00\tif r1 == 0x0 goto +0x1 <LBB0_2>\n"
		"       4:\tb7 00 00 00 01 00 00 00\tr0 = 0x1\n"
		"\n"
		"0000000000000028 <LBB0_2>:\n"
		"       5:\t95 00 00 00 00 00 00 00\texit\n";
	struct nyk_insn *p = NULL;
	size_t n;

	CHECK(assemble_ok(strstr(text, "Disassembly"), &p, &n));
	CHECK_EQ(n, 6);
	CHECK_EQ(p[0].opcode, 0x18);
	CHECK_EQ(p[3].off, 1);
	CHECK_EQ(p[5].opcode, 0x95);
	free(p);
}

TEST(asm_label_spellings)
{
	const char *text = "LBB0_3:\n.L1: goto LBB0_3\n<func>:\n  call func\n  goto .L1\na: b: exit\n";
	struct nyk_insn *p = NULL;
	size_t n;

	CHECK(assemble_ok(text, &p, &n));
	CHECK_EQ(n, 4);
	CHECK_EQ(p[0].off, -1);
	CHECK_EQ(p[1].imm, -1);
	CHECK_EQ(p[2].off, -3);
	free(p);
}

TEST(asm_crlf_and_missing_final_newline)
{
	const char *text = "r0 = 1\r\n\r\n  exit";
	struct nyk_insn *p = NULL;
	size_t n;

	CHECK(assemble_ok(text, &p, &n));
	CHECK_EQ(n, 2);
	free(p);
}

TEST(asm_text_is_not_nul_terminated)
{
	/* Only the first len bytes count: "exit" followed by bytes that are not part of it. */
	const char buf[] = { 'e', 'x', 'i', 't', 'x', 'x' };
	struct nyk_insn *p = NULL;
	size_t n;
	struct nyk_error err;

	CHECK(nyk_asm(buf, 4, "t.s", &p, &n, &err) == 0);
	CHECK_EQ(n, 1);
	free(p);
	CHECK(nyk_asm(buf, 0, "t.s", &p, &n, &err) == 0);
	CHECK_EQ(n, 0);
	free(p);
}

TEST(asm_disasm_labels)
{
	const char *text = "r0 = 0\nloop: r0 += 1\nif r0 < 10 goto loop\ncall f\nexit\nf: r0 = func[f] ll\nexit\n";
	struct nyk_insn *p = NULL;
	size_t n;
	char *out;

	CHECK(assemble_ok(text, &p, &n));
	out = nyk_disasm(p, n, NYK_SYNTAX_C, NYK_DISASM_LABELS, NULL);
	CHECK(out);
	CHECK_STR(out, "r0 = 0\nLBB0_1:\nr0 += 1\nif r0 < 10 goto LBB0_1\ncall LBB0_5\nexit\n"
		       "LBB0_5:\nr0 = func[LBB0_5] ll\nexit\n");
	free(out);
	out = nyk_disasm(p, n, NYK_SYNTAX_CONFORMANCE, NYK_DISASM_LABELS | NYK_DISASM_INDEX, NULL);
	CHECK(out);
	CHECK_STR(out, "   0: mov %r0, 0\nLBB0_1:\n   1: add %r0, 1\n   2: jlt %r0, 10, LBB0_1\n"
		       "   3: call local LBB0_5\n   4: exit\nLBB0_5:\n   5: lddw %r0, func[LBB0_5]\n   7: exit\n");
	free(out);
	out = nyk_disasm(p, 2, NYK_SYNTAX_C, NYK_DISASM_INDEX | NYK_DISASM_BYTES, NULL);
	CHECK(out);
	CHECK_STR(out, "   0:\tb7 00 00 00 00 00 00 00\tr0 = 0\n   1:\t07 00 00 00 01 00 00 00\tr0 += 1\n");
	free(out);
	free(p);
}

TEST(asm_disasm_invalid_slots)
{
	struct nyk_insn bad[] = {
		I(0xff, 0, 0, 0, 0),          /* unknown opcode */
		I(0x07, 0, 0, 1, 5),          /* add with an offset */
		I(0xb7, 11, 0, 0, 1),         /* r11 */
		I(0x18, 1, 0, 0, 1),          /* lddw whose second slot has an opcode */
		I(0x95, 0, 0, 0, 0),
		I(0x18, 1, 1, 0, 3),          /* map fd with a high imm */
		I(0x00, 0, 0, 0, 9),
		I(0x18, 0, 0, 0, 1),          /* truncated lddw */
	};
	char buf[64];

	CHECK(nyk_disasm_insn(bad, 8, 0, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK_STR(buf, ".insn 0x00000000000000ff");
	CHECK(nyk_disasm_insn(bad, 8, 1, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK_STR(buf, ".insn 0x0000000500010007");
	CHECK(nyk_disasm_insn(bad, 8, 2, NYK_SYNTAX_CONFORMANCE, buf, sizeof(buf)) == -EINVAL);
	CHECK_STR(buf, ".insn 0x0000000100000bb7");
	CHECK(nyk_disasm_insn(bad, 8, 3, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK(nyk_disasm_insn(bad, 8, 5, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK(nyk_disasm_insn(bad, 8, 7, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK(nyk_disasm_insn(bad, 8, 8, NYK_SYNTAX_C, buf, sizeof(buf)) == -EINVAL);
	CHECK_STR(buf, "");
	CHECK(nyk_disasm_insn(bad, 8, 4, NYK_SYNTAX_C, buf, 3) == 1);
	CHECK_STR(buf, "ex");
	CHECK(nyk_disasm_insn(bad, 8, 4, NYK_SYNTAX_C, NULL, 0) == 1);
	CHECK(round_trip_program(bad, 8, NYK_SYNTAX_C, NYK_DISASM_LABELS));
	CHECK(round_trip_program(bad, 8, NYK_SYNTAX_CONFORMANCE, NYK_DISASM_INDEX | NYK_DISASM_BYTES));
}

TEST(asm_disasm_empty_program)
{
	char *out = nyk_disasm(NULL, 0, NYK_SYNTAX_C, NYK_DISASM_LABELS, NULL);

	CHECK(out);
	CHECK_STR(out, "");
	free(out);
}

/* ---- errors ---------------------------------------------------------- */

struct asm_err {
	const char *text;
	int line, column;
	const char *message;
};

static const struct asm_err errors[] = {
	{ "frob %r0, 1\n", 1, 1, "unknown mnemonic 'frob'" },
	{ "exit\n  addd %r0, 1\n", 2, 3, "unknown mnemonic 'addd'" },
	{ "add %r0, x\n", 1, 10, "expected a register or an immediate after ',' (got 'x')" },
	{ "mov %r0, %r11\n", 1, 10, "invalid register '%r11' (registers are r0..r10)" },
	{ "r12 = 1\n", 1, 1, "invalid register 'r12' (registers are r0..r10)" },
	{ "ldxw %r0, [%rx+4]\n", 1, 12, "expected a register after '[' (got '%rx')" },
	{ "add %r0\n", 1, 8, "expected ',' after '%r0' (got end of line)" },
	{ "add %r0,\n", 1, 9, "expected a register or an immediate after ',' (got end of line)" },
	{ "jeq %r1, 5\n", 1, 11, "expected ',' after '5' (got end of line)" },
	{ "r0 +=\n", 1, 6, "expected a register or an immediate after '+=' (got end of line)" },
	{ "if r1 == 5\n", 1, 11, "expected 'goto' after '5' (got end of line)" },
	{ "goto\n", 1, 5, "expected a jump target (a label or +offset) after 'goto' (got end of line)" },
	{ "mov %r0, 4294967296\n", 1, 10, "immediate 4294967296 does not fit in 32 bits" },
	{ "r0 = 2147483648\n", 1, 6,
	  "immediate 2147483648 does not fit in a signed 32-bit field (write 0x80000000 for the bit pattern)" },
	{ "r0 = -2147483649\n", 1, 6, "immediate -2147483649 does not fit in 32 bits" },
	{ "r0 = 0x1122334455667788\n", 1, 6, "immediate 0x1122334455667788 does not fit in 32 bits" },
	{ "lddw %r0, 0x10000000000000000\n", 1, 11, "number '0x10000000000000000' does not fit in 64 bits" },
	{ "lddw %r0, -9223372036854775809\n", 1, 11, "immediate -9223372036854775809 does not fit in 64 bits" },
	{ "ldxw %r0, [%r1+32768]\n", 1, 15, "offset 32768 does not fit in 16 bits (-32768..32767)" },
	{ "r0 = *(u32 *)(r1 - 32769)\n", 1, 18, "offset -32769 does not fit in 16 bits (-32768..32767)" },
	{ "ja +40000\n", 1, 4, "jump offset 40000 does not fit in 16 bits (-32768..32767)" },
	{ "exit\nja nowhere\n", 2, 4, "undefined label 'nowhere'" },
	{ "a:\nexit\na: exit\n", 3, 1, "duplicate label 'a' (first defined on line 1)" },
	{ "exit 1\n", 1, 6, "unexpected '1' after the instruction" },
	{ "r0 = 1 2\n", 1, 8, "unexpected '2' after the instruction" },
	{ "mov %r0, 1, 2\n", 1, 11, "unexpected ',' after the instruction" },
	{ "mov %r0, 12abc\n", 1, 10, "invalid number '12abc'" },
	{ "r0 = -r1\n", 1, 7, "negation works in place: write 'r0 = -r0'" },
	{ "r0 += w1\n", 1, 7, "both registers must be 64-bit (rN) or both 32-bit (wN)" },
	{ "w0 = (s32)w1\n", 1, 1, "no eBPF instruction is written 'w0 = (s32)w1'" },
	{ "r0 = *(u32 *)skb[r1 + 4]\nr1 = *(u32 *)skb[4]\n", 2, 1, "legacy packet loads always write r0" },
	{ "lock frob [%r1], %r2\n", 1, 6, "expected an operation after 'lock' (got 'frob')" },
	{ "r0 = *(u24 *)(r1 + 0)\n", 1, 8, "expected a type (u8, u16, u32, u64, s8, s16, s32) after '(' (got 'u24')" },
	{ "r1 = cmpxchg_64(r2 + 0, r0, r1)\n", 1, 1,
	  "cmpxchg compares with r0 and loads into r0: write 'r0 = cmpxchg(..., r0, rN)'" },
	{ "r2 = atomic_fetch_add((u64 *)(r2 + 0), r1)\n", 1, 1,
	  "the old value is loaded into the source register: write 'r1 = ...'" },
	{ "r1 = map[fd:3]\n", 1, 15, "expected 'll' after ']' (got end of line)" },
	{ ".insn\n", 1, 6, "expected a 64-bit instruction slot after '.insn' (got end of line)" },
	{ "5\n", 1, 1, "expected an instruction (got '5')" },
	{ "call kfunc\n", 1, 11, "expected a kfunc BTF id after 'kfunc' (got end of line)" },
	{ "goto +1 <LBB0_2\n", 1, 9, "expected '>' after '+1' (got '<')" },
};

TEST(asm_errors_name_the_place)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		const struct asm_err *e = &errors[i];
		struct nyk_insn *p = NULL;
		size_t n = 0;
		struct nyk_error err;
		int rc = assemble(e->text, &p, &n, &err);

		CHECK_MSG(rc == -EINVAL, "'%s' assembled", e->text);
		CHECK_MSG(p == NULL && n == 0, "'%s' left a result", e->text);
		CHECK_MSG(strcmp(err.message, e->message) == 0, "'%s': message '%s', expected '%s'", e->text,
			  err.message, e->message);
		CHECK_MSG(err.line == e->line && err.column == e->column, "'%s': at %d:%d, expected %d:%d", e->text,
			  err.line, err.column, e->line, e->column);
		CHECK_STR(err.file, "t.s");
	}
}

/* "FIRST far\n", `lines` times "r0 = 1\n", then "far: exit\n". */
static char *far_jump_text(const char *first, size_t lines, size_t *len)
{
	char *text = malloc(lines * 8 + 64);

	if (!text)
		return NULL;
	*len = (size_t)sprintf(text, "%s far\n", first);
	for (size_t i = 0; i < lines; i++)
		*len += (size_t)sprintf(text + *len, "r0 = 1\n");
	*len += (size_t)sprintf(text + *len, "far: exit\n");
	return text;
}

TEST(asm_jump_too_far_for_16_bits)
{
	size_t len, n;
	char *text = far_jump_text("goto", 40000, &len);
	struct nyk_insn *p = NULL;
	struct nyk_error err;
	char msg[NYK_ERROR_MSG_MAX + 64];

	CHECK(text);
	CHECK(nyk_asm(text, len, "t.s", &p, &n, &err) == -EINVAL);
	free(text);
	CHECK_STR(nyk_error_format(&err, msg, sizeof(msg)),
		  "t.s:1:6: label 'far' is 40000 instructions away: too far for a 16-bit jump offset "
		  "(-32768..32767; gotol/ja32 reach further)");
	text = far_jump_text("gotol", 40000, &len);
	CHECK(text);
	CHECK(nyk_asm(text, len, "t.s", &p, &n, &err) == 0);
	free(text);
	CHECK_EQ(n, 40002);
	CHECK_EQ(p[0].imm, 40000);
	free(p);
	text = far_jump_text("goto", 32767, &len);
	CHECK(text);
	CHECK(nyk_asm(text, len, "t.s", &p, &n, &err) == 0);
	free(text);
	CHECK_EQ(p[0].off, 32767);
	free(p);
}

TEST(asm_many_lines_and_labels)
{
	/* Linear in the input: 100000 labelled lines assemble (no timing asserted). */
	size_t lines = 100000, len = 0, n;
	char *text = malloc(lines * 40 + 16);
	struct nyk_insn *p = NULL;
	int ok;

	CHECK(text);
	for (size_t i = 0; i < lines; i++)
		len += (size_t)sprintf(text + len, "l%zu: if r1 > %zu goto l%zu\n", i, i, i / 1000 * 1000);
	len += (size_t)sprintf(text + len, "exit\n");
	ok = nyk_asm(text, len, "t.s", &p, &n, NULL) == 0;
	free(text);
	CHECK(ok);
	CHECK_EQ(n, lines + 1);
	CHECK_EQ(p[lines - 1].off, (int16_t)-1000);
	CHECK_EQ(p[lines - 1].imm, lines - 1);
	free(p);
}
