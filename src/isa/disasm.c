/*
 * disasm.c - instruction slots to text, in the C-like syntax of
 * llvm-objdump and the kernel, or in the conformance dialect.
 *
 * The text is derived from the slot's row in the instruction table: its
 * form says where the operands go, its op (C-like syntax) or its name
 * (conformance dialect) says what the operation is. A slot that is not a
 * valid instruction - no row, a field the row does not use set, a register
 * above r10, an lddw without its second slot - is printed as
 * `.insn 0x<64 bits>`, which the assembler reads back, so that any byte
 * string survives a round trip.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "isa/asm_internal.h"

const char *asm_atomic_word(const struct nyk_insn_desc *d, size_t *len)
{
	const char *w = strrchr(d->name, ' ');

	w = w ? w + 1 : d->name;
	*len = strlen(w);
	if (!d->is64 && *len > 2 && strcmp(w + *len - 2, "32") == 0)
		*len -= 2;
	return w;
}

/* ---- output ---------------------------------------------------------- */

/* A fixed buffer that truncates and stays NUL-terminated. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

struct dis {
	const struct nyk_insn *insns;
	size_t count;
	enum nyk_syntax syntax;
	const uint8_t *labels;  /* labels[t]: slot t has a label line (count + 1 entries), or NULL */
	struct isa_index idx;
};

/* ---- which slots are instructions ------------------------------------ */

static int lddw_has_high_imm(const struct nyk_insn_desc *r)
{
	return r->sel_value == NYK_PSEUDO_NONE || r->sel_value == NYK_PSEUDO_MAP_VALUE ||
	       r->sel_value == NYK_PSEUDO_MAP_IDX_VALUE;
}

/* The row of the instruction at pc, or NULL when its text would not assemble back to it. */
static const struct nyk_insn_desc *slot_row(const struct dis *d, size_t pc)
{
	const struct nyk_insn *i = &d->insns[pc], *hi;
	const struct nyk_insn_desc *r = isa_index_lookup(&d->idx, i);

	if (!r || isa_check_fields(r, i, NULL))
		return NULL;
	if (r->form != NYK_FORM_LDDW)
		return r;
	if (pc + 1 >= d->count)
		return NULL;
	hi = &d->insns[pc + 1];
	if (hi->opcode || hi->regs || hi->off || (hi->imm && !lddw_has_high_imm(r)))
		return NULL;
	return r;
}

static unsigned row_slots(const struct nyk_insn_desc *r)
{
	return r && r->form == NYK_FORM_LDDW ? 2 : 1;
}

/* ---- operands -------------------------------------------------------- */

/* A branch target: its label, or the offset (with `prefix`, "pc" for calls in C). */
static void put_target(struct out *o, const struct dis *d, size_t pc, long rel, const char *prefix)
{
	long t = (long)pc + rel + 1;

	if (d->labels && t >= 0 && (size_t)t <= d->count && d->labels[t])
		put(o, "LBB0_%ld", t);
	else
		put(o, "%s%+ld", prefix, rel);
}

/* r1 + 4, r10 - 8 */
static void put_base(struct out *o, unsigned reg, long long off)
{
	put(o, "r%u %c %lld", reg, off < 0 ? '-' : '+', off < 0 ? -off : off);
}

static void put_mem_c(struct out *o, unsigned reg, long off)
{
	put(o, "(");
	put_base(o, reg, off);
	put(o, ")");
}

static void put_mem_conf(struct out *o, unsigned reg, long off)
{
	if (off)
		put(o, "[%%r%u%+ld]", reg, off);
	else
		put(o, "[%%r%u]", reg);
}

/* The value of an lddw: 0x..., map[fd:N], map[fd:N][0]+M, btf_var[N], func[pc+N], map[idx:N]... */
static void put_lddw_value(struct out *o, const struct dis *d, const struct nyk_insn_desc *r, size_t pc)
{
	uint32_t lo = (uint32_t)d->insns[pc].imm, hi = (uint32_t)d->insns[pc + 1].imm;

	switch (r->sel_value) {
	case NYK_PSEUDO_NONE:
		put(o, "0x%llx", (unsigned long long)hi << 32 | lo);
		break;
	case NYK_PSEUDO_MAP_FD:
	case NYK_PSEUDO_MAP_VALUE:
		put(o, "map[fd:%u]", lo);
		break;
	case NYK_PSEUDO_MAP_IDX:
	case NYK_PSEUDO_MAP_IDX_VALUE:
		put(o, "map[idx:%u]", lo);
		break;
	case NYK_PSEUDO_BTF_ID:
		put(o, "btf_var[%u]", lo);
		break;
	default:
		put(o, "func[");
		put_target(o, d, pc, d->insns[pc].imm, "pc");
		put(o, "]");
		break;
	}
	if (lddw_has_high_imm(r) && r->sel_value != NYK_PSEUDO_NONE)
		put(o, "[0]+%u", hi);
}

/* ---- the C-like syntax ----------------------------------------------- */

static void put_atomic_c(struct out *o, const struct nyk_insn_desc *r, const struct nyk_insn *i)
{
	unsigned dst = nyk_insn_dst(i), src = nyk_insn_src(i), bits = r->size * 8u;
	char w = r->is64 ? 'r' : 'w';
	const char *word;
	size_t len;

	if (!asm_atomic_is_named(r) && !(r->sel_value & NYK_ATOMIC_FETCH)) {
		put(o, "lock *(u%u *)", bits);
		put_mem_c(o, dst, i->off);
		put(o, " %s= %c%u", r->op, w, src);
	} else if (!asm_atomic_is_named(r)) {
		word = asm_atomic_word(r, &len);
		put(o, "%c%u = atomic_fetch_%.*s((u%u *)", w, src, (int)len, word, bits);
		put_mem_c(o, dst, i->off);
		put(o, ", %c%u)", w, src);
	} else {
		int cmpxchg = strcmp(r->op, "cmpxchg") == 0;
		put(o, "%c%u = %s%s_%u(", w, cmpxchg ? 0 : src, r->op, r->is64 ? "" : "32", bits);
		put_base(o, dst, i->off);
		if (cmpxchg)
			put(o, ", %c0", w);
		put(o, ", %c%u)", w, src);
	}
}

static void put_c(struct out *o, const struct dis *d, const struct nyk_insn_desc *r, size_t pc)
{
	const struct nyk_insn *i = &d->insns[pc];
	unsigned dst = nyk_insn_dst(i), src = nyk_insn_src(i), bits = r->size * 8u;
	char w = r->is64 ? 'r' : 'w';

	switch (r->form) {
	case NYK_FORM_ALU_K: put(o, "%c%u %s= %d", w, dst, r->op, (int)i->imm); break;
	case NYK_FORM_ALU_X: put(o, "%c%u %s= %c%u", w, dst, r->op, w, src); break;
	case NYK_FORM_NEG: put(o, "%c%u = -%c%u", w, dst, w, dst); break;
	case NYK_FORM_MOVSX: put(o, "%c%u = (s%d)%c%u", w, dst, (int)r->sel_value, w, src); break;
	case NYK_FORM_END: put(o, "r%u = %s r%u", dst, r->name, dst); break;
	case NYK_FORM_JA: put(o, "goto "); put_target(o, d, pc, i->off, ""); break;
	case NYK_FORM_JA32: put(o, "gotol "); put_target(o, d, pc, i->imm, ""); break;
	case NYK_FORM_JMP_K:
		put(o, "if %c%u %s %d goto ", w, dst, r->op, (int)i->imm);
		put_target(o, d, pc, i->off, "");
		break;
	case NYK_FORM_JMP_X:
		put(o, "if %c%u %s %c%u goto ", w, dst, r->op, w, src);
		put_target(o, d, pc, i->off, "");
		break;
	case NYK_FORM_CALL: put(o, "call %d", (int)i->imm); break;
	case NYK_FORM_CALL_LOCAL: put(o, "call "); put_target(o, d, pc, i->imm, "pc"); break;
	case NYK_FORM_CALL_KFUNC:
		put(o, "call kfunc %d", (int)i->imm);
		if (i->off)
			put(o, ", btf_fd_idx %d", i->off);
		break;
	case NYK_FORM_CALLX: put(o, "callx r%u", dst); break;
	case NYK_FORM_EXIT: put(o, "exit"); break;
	case NYK_FORM_LDX:
		put(o, "r%u = *(%c%u *)", dst, asm_is_sx_load(r) ? 's' : 'u', bits);
		put_mem_c(o, src, i->off);
		break;
	case NYK_FORM_ST:
		put(o, "*(u%u *)", bits);
		put_mem_c(o, dst, i->off);
		put(o, " = %d", (int)i->imm);
		break;
	case NYK_FORM_STX:
		put(o, "*(u%u *)", bits);
		put_mem_c(o, dst, i->off);
		put(o, " = r%u", src);
		break;
	case NYK_FORM_ATOMIC: put_atomic_c(o, r, i); break;
	case NYK_FORM_LDDW:
		put(o, "r%u = ", dst);
		put_lddw_value(o, d, r, pc);
		put(o, " ll");
		break;
	case NYK_FORM_LD_ABS: put(o, "r0 = *(u%u *)skb[%d]", bits, (int)i->imm); break;
	case NYK_FORM_LD_IND:
		put(o, "r0 = *(u%u *)skb[", bits);
		put_base(o, src, i->imm);
		put(o, "]");
		break;
	}
}

/* ---- the conformance dialect: the row's name, then its operands ------ */

static void put_conformance(struct out *o, const struct dis *d, const struct nyk_insn_desc *r, size_t pc)
{
	const struct nyk_insn *i = &d->insns[pc];
	unsigned dst = nyk_insn_dst(i), src = nyk_insn_src(i);

	put(o, "%s", r->name);
	switch (r->form) {
	case NYK_FORM_ALU_K: put(o, " %%r%u, %d", dst, (int)i->imm); break;
	case NYK_FORM_ALU_X:
	case NYK_FORM_MOVSX: put(o, " %%r%u, %%r%u", dst, src); break;
	case NYK_FORM_NEG:
	case NYK_FORM_END:
	case NYK_FORM_CALLX: put(o, " %%r%u", dst); break;
	case NYK_FORM_JA: put(o, " "); put_target(o, d, pc, i->off, ""); break;
	case NYK_FORM_JA32:
	case NYK_FORM_CALL_LOCAL: put(o, " "); put_target(o, d, pc, i->imm, ""); break;
	case NYK_FORM_JMP_K:
		put(o, " %%r%u, %d, ", dst, (int)i->imm);
		put_target(o, d, pc, i->off, "");
		break;
	case NYK_FORM_JMP_X:
		put(o, " %%r%u, %%r%u, ", dst, src);
		put_target(o, d, pc, i->off, "");
		break;
	case NYK_FORM_CALL:
	case NYK_FORM_LD_ABS: put(o, " %d", (int)i->imm); break;
	case NYK_FORM_CALL_KFUNC:
		put(o, " %d", (int)i->imm);
		if (i->off)
			put(o, ", btf_fd_idx %d", i->off);
		break;
	case NYK_FORM_EXIT: break;
	case NYK_FORM_LDX:
		put(o, " %%r%u, ", dst);
		put_mem_conf(o, src, i->off);
		break;
	case NYK_FORM_ST:
		put(o, " ");
		put_mem_conf(o, dst, i->off);
		put(o, ", %d", (int)i->imm);
		break;
	case NYK_FORM_STX:
	case NYK_FORM_ATOMIC:
		put(o, " ");
		put_mem_conf(o, dst, i->off);
		put(o, ", %%r%u", src);
		break;
	case NYK_FORM_LDDW:
		put(o, " %%r%u, ", dst);
		put_lddw_value(o, d, r, pc);
		break;
	case NYK_FORM_LD_IND: put(o, " %%r%u, %d", src, (int)i->imm); break;
	}
}

/* ---- instructions and programs --------------------------------------- */

static void put_raw(struct out *o, const struct nyk_insn *i)
{
	unsigned long long v = (unsigned long long)i->opcode | (unsigned long long)i->regs << 8 |
			       (unsigned long long)(uint16_t)i->off << 16 | (unsigned long long)(uint32_t)i->imm << 32;

	put(o, ".insn 0x%016llx", v);
}

static int dis_one(const struct dis *d, size_t pc, struct out *o)
{
	const struct nyk_insn_desc *r = slot_row(d, pc);

	if (!r) {
		put_raw(o, &d->insns[pc]);
		return -EINVAL;
	}
	if (d->syntax == NYK_SYNTAX_CONFORMANCE)
		put_conformance(o, d, r, pc);
	else
		put_c(o, d, r, pc);
	return (int)row_slots(r);
}

int nyk_disasm_insn(const struct nyk_insn *insns, size_t count, size_t pc, enum nyk_syntax syntax, char *buf,
		    size_t size)
{
	struct dis d = { insns, count, syntax, NULL, { { 0 }, { 0 } } };
	struct out o = { buf, buf ? size : 0, 0 };

	if (o.size)
		buf[0] = '\0';
	if (!insns || pc >= count)
		return -EINVAL;
	isa_index_build(&d.idx);
	return dis_one(&d, pc, &o);
}

/* Slots that are the target of a branch and the start of an instruction (count + 1 entries). */
static uint8_t *find_labels(const struct dis *d)
{
	uint8_t *start = calloc(d->count + 1, 1), *labels = calloc(d->count + 1, 1);

	if (!start || !labels) {
		free(start);
		free(labels);
		return NULL;
	}
	for (size_t pc = 0; pc < d->count; pc += row_slots(slot_row(d, pc)))
		start[pc] = 1;
	start[d->count] = 1;
	for (size_t pc = 0, n; pc < d->count; pc += n) {
		const struct nyk_insn_desc *r = slot_row(d, pc);
		long t = r ? isa_branch_target(r, &d->insns[pc], pc) : -1;
		n = row_slots(r);
		if (t >= 0 && (size_t)t <= d->count && start[t])
			labels[t] = 1;
	}
	free(start);
	return labels;
}

static void put_bytes(struct out *o, const struct nyk_insn *i, unsigned slots)
{
	for (unsigned s = 0; s < slots; s++) {
		put(o, "%s%02x %02x %02x %02x %02x %02x %02x %02x", s ? " " : "", i[s].opcode, i[s].regs,
		    (uint16_t)i[s].off & 0xff, (uint16_t)i[s].off >> 8, (uint32_t)i[s].imm & 0xff,
		    (uint32_t)i[s].imm >> 8 & 0xff, (uint32_t)i[s].imm >> 16 & 0xff, (uint32_t)i[s].imm >> 24);
	}
}

/* One line: label, index, bytes, instruction. Returns the slots it took. */
static unsigned dis_line(const struct dis *d, size_t pc, unsigned flags, struct out *o)
{
	unsigned slots = row_slots(slot_row(d, pc));

	if (d->labels && d->labels[pc])
		put(o, "LBB0_%zu:\n", pc);
	if (flags & NYK_DISASM_INDEX)
		put(o, "%4zu:%s", pc, flags & NYK_DISASM_BYTES ? "\t" : " ");
	if (flags & NYK_DISASM_BYTES) {
		put_bytes(o, &d->insns[pc], slots);
		put(o, "\t");
	}
	dis_one(d, pc, o);
	put(o, "\n");
	return slots;
}

/* A growing, NUL-terminated text. */
struct text {
	char *buf;
	size_t len, cap;
};

static int text_append(struct text *t, const char *s, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *p;
		while (cap < t->len + len + 1)
			cap *= 2;
		p = realloc(t->buf, cap);
		if (!p)
			return -ENOMEM;
		t->buf = p;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, len);
	t->len += len;
	t->buf[t->len] = '\0';
	return 0;
}

char *nyk_disasm(const struct nyk_insn *insns, size_t count, enum nyk_syntax syntax, unsigned flags,
		 struct nyk_error *err)
{
	struct dis d = { insns, count, syntax, NULL, { { 0 }, { 0 } } };
	struct text t = { 0 };
	uint8_t *labels = NULL;
	int rc = text_append(&t, "", 0);

	nyk_error_clear(err);
	if (!insns && count) {
		nyk_error_set(err, -EINVAL, "nyk_disasm: no instructions");
		free(t.buf);
		return NULL;
	}
	isa_index_build(&d.idx);
	if (!rc && (flags & NYK_DISASM_LABELS) && !(d.labels = labels = find_labels(&d)))
		rc = -ENOMEM;
	for (size_t pc = 0; pc < count && !rc;) {
		char line[512];
		struct out o = { line, sizeof(line), 0 };
		pc += dis_line(&d, pc, flags, &o);
		rc = text_append(&t, line, o.len);
	}
	if (!rc && labels && labels[count]) {
		char line[64];
		struct out o = { line, sizeof(line), 0 };
		put(&o, "LBB0_%zu:\n", count);
		rc = text_append(&t, line, o.len);
	}
	free(labels);
	if (rc) {
		free(t.buf);
		nyk_error_set(err, -ENOMEM, "out of memory disassembling %zu instructions", count);
		return NULL;
	}
	return t.buf;
}
