/*
 * asm.c - the assembler: each statement, in either syntax, is matched to a
 * row of the instruction table and encoded from it.
 *
 * Nothing here lists instructions. A C-like statement is described by a
 * key (form, operator, width, size, ...) and found among the rows of that
 * form; a conformance-dialect statement is found by its mnemonic, which is
 * the row's name. The operand layout of both comes from the row's form.
 * docs/assembly.md describes the syntax.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "isa/asm_internal.h"

/* ---- the table, indexed by name and by form -------------------------- */

/* Spellings of the bpf_conformance assembler that are not the table's names. */
static const struct {
	const char *alias, *name;
} name_aliases[] = {
	{ "swap16", "bswap16" }, { "swap32", "bswap32" }, { "swap64", "bswap64" },
};

static struct asm_name *name_slot(struct asm_state *s, const char *key, size_t len)
{
	size_t mask = ASM_NAME_SLOTS - 1;

	for (size_t i = asm_hash(key, len) & mask;; i = (i + 1) & mask) {
		struct asm_name *e = &s->names[i];
		if (!e->key || (e->len == len && memcmp(e->key, key, len) == 0))
			return e;
	}
}

static struct asm_name *name_add(struct asm_state *s, const char *key, size_t len)
{
	struct asm_name *e = name_slot(s, key, len);

	if (!e->key) {
		e->key = key;
		e->len = (uint8_t)len;
	}
	return e;
}

/* Every name (and each word prefix of multi-word names such as "lock fetch add") is hashed. */
static void names_build(struct asm_state *s)
{
	for (size_t r = s->nrows; r-- > 0;) {
		const char *name = s->table[r].name;
		size_t len = strlen(name);
		struct asm_name *e;

		if (len >= ASM_MNEMONIC_MAX)
			continue;
		e = name_add(s, name, len);
		s->same_name[r] = e->row;
		e->row = (uint8_t)(r + 1);
		for (size_t k = 1; k < len; k++)
			if (name[k] == ' ')
				name_add(s, name, k);
	}
	for (size_t i = 0; i < sizeof(name_aliases) / sizeof(name_aliases[0]); i++) {
		const char *target = name_aliases[i].name;
		uint8_t row = name_slot(s, target, strlen(target))->row;
		if (row)
			name_add(s, name_aliases[i].alias, strlen(name_aliases[i].alias))->row = row;
	}
}

static void forms_build(struct asm_state *s)
{
	uint16_t fill[NYK_FORM_COUNT + 1];

	memset(s->form_start, 0, sizeof(s->form_start));
	for (size_t r = 0; r < s->nrows; r++)
		s->form_start[s->table[r].form + 1]++;
	for (unsigned f = 1; f < NYK_FORM_COUNT + 1; f++)
		s->form_start[f] += s->form_start[f - 1];
	memcpy(fill, s->form_start, sizeof(fill));
	for (size_t r = 0; r < s->nrows; r++)
		s->by_form[fill[s->table[r].form]++] = (uint8_t)r;
}

/* What a statement says about its instruction; -1 and NULL fields match any row. */
struct row_key {
	uint8_t form;
	int8_t is64;
	int8_t sx;          /* loads: sign-extending */
	int8_t fetch;       /* atomics: fetch bit in imm */
	int8_t named;       /* atomics: xchg/cmpxchg rather than an ALU operation */
	uint8_t size;       /* bytes accessed, 0: any */
	int has_sel;
	int32_t sel;
	const char *op;     /* the row's op */
	size_t op_len;
	const char *word;   /* atomics: the operation word; others: the name */
	size_t word_len;
};

#define KEY(f) { .form = (f), .is64 = -1, .sx = -1, .fetch = -1, .named = -1 }

static int str_is(const char *a, size_t len, const char *b)
{
	return strlen(b) == len && memcmp(a, b, len) == 0;
}

static int word_matches(const struct nyk_insn_desc *d, const struct row_key *k)
{
	size_t len;
	const char *w;

	if (d->form != NYK_FORM_ATOMIC)
		return str_is(k->word, k->word_len, d->name);
	w = asm_atomic_word(d, &len);
	return len == k->word_len && memcmp(w, k->word, len) == 0;
}

static int row_matches(const struct nyk_insn_desc *d, const struct row_key *k)
{
	if (k->is64 >= 0 && d->is64 != k->is64)
		return 0;
	if (k->size && d->size != k->size)
		return 0;
	if (k->sx >= 0 && asm_is_sx_load(d) != k->sx)
		return 0;
	if (k->fetch >= 0 && ((d->sel_value & NYK_ATOMIC_FETCH) != 0) != k->fetch)
		return 0;
	if (k->named >= 0 && asm_atomic_is_named(d) != k->named)
		return 0;
	if (k->has_sel && d->sel_value != k->sel)
		return 0;
	if (k->op && !str_is(k->op, k->op_len, d->op))
		return 0;
	return !k->word || word_matches(d, k);
}

static const struct nyk_insn_desc *find_row(const struct asm_state *s, const struct row_key *k)
{
	for (unsigned i = s->form_start[k->form]; i < s->form_start[k->form + 1]; i++) {
		const struct nyk_insn_desc *d = &s->table[s->by_form[i]];
		if (row_matches(d, k))
			return d;
	}
	return NULL;
}

/* ---- encoding -------------------------------------------------------- */

struct ops {
	unsigned dst, src;
	int16_t off;
	int32_t imm, imm_hi;   /* imm_hi: second slot of lddw */
};

static int grow(struct asm_state *s, size_t more)
{
	struct nyk_insn *p;
	size_t cap;

	if (s->count + more <= s->cap)
		return 0;
	cap = s->cap ? s->cap * 2 : 256;
	p = realloc(s->insns, cap * sizeof(*p));
	if (!p)
		return asm_out_of_memory(s);
	s->insns = p;
	s->cap = cap;
	return 0;
}

/* Encode: operands go to the fields the row uses, the selector field gets the row's value. */
static int emit(struct asm_state *s, const struct nyk_insn_desc *d, const struct ops *o)
{
	struct nyk_insn i = { d->opcode, 0, 0, 0 };
	unsigned dst = (d->fields & NYK_F_DST) ? o->dst : 0, src = (d->fields & NYK_F_SRC) ? o->src : 0;
	int rc;

	if (d->fields & NYK_F_OFF)
		i.off = o->off;
	if (d->fields & NYK_F_IMM)
		i.imm = o->imm;
	if (d->selector == NYK_SEL_SRC)
		src = (unsigned)d->sel_value;
	else if (d->selector == NYK_SEL_OFF)
		i.off = (int16_t)d->sel_value;
	else if (d->selector == NYK_SEL_IMM)
		i.imm = d->sel_value;
	i.regs = nyk_insn_regs(dst, src);
	if ((rc = grow(s, 2)))
		return rc;
	s->insns[s->count++] = i;
	if (d->form == NYK_FORM_LDDW)
		s->insns[s->count++] = (struct nyk_insn){ 0, 0, 0, o->imm_hi };
	return 0;
}

static int no_such_insn(struct asm_state *s, const char *start)
{
	const char *end = s->end;

	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return asm_error_at(s, start, "no eBPF instruction is written '%.*s'",
			    end - start > 60 ? 60 : (int)(end - start), start);
}

static int emit_key(struct asm_state *s, const char *start, const struct row_key *k, const struct ops *o)
{
	const struct nyk_insn_desc *d = find_row(s, k);

	return d ? emit(s, d, o) : no_such_insn(s, start);
}

/* ---- operands shared by both syntaxes -------------------------------- */

static int lex_imm32(struct asm_state *s, const char *what, int32_t *imm)
{
	struct asm_num n;
	int rc = asm_expect_num(s, what, &n);

	return rc ? rc : asm_num_imm32(s, &n, imm);
}

/* A register (returns 1) or a 32-bit immediate (returns 0); <0 on error. */
static int lex_reg_or_imm(struct asm_state *s, unsigned *reg, int *is32, int32_t *imm)
{
	struct asm_num n;
	int rc = asm_lex_reg(s, reg, is32);

	if (rc <= 0)
		return rc < 0 ? rc : 1;
	rc = asm_lex_num(s, &n);
	if (rc == 1)
		return asm_expected(s, "a register or an immediate");
	return rc ? rc : asm_num_imm32(s, &n, imm);
}

/* `pc+N`, `pc-N` (and the kernel's `pc0`): consumes "pc" and the number. Returns 1 if absent. */
static int lex_pc(struct asm_state *s, struct asm_num *n)
{
	const char *w;
	size_t len = asm_peek_ident(s, &w);

	if (len < 2 || w[0] != 'p' || w[1] != 'c' || w + 2 >= s->end)
		return 1;
	if (w[2] != '+' && w[2] != '-') {
		for (size_t i = 2; i < len; i++)
			if (w[i] < '0' || w[i] > '9')
				return 1;
		if (len == 2)
			return 1;
	}
	asm_consumed(s, w, 2);
	return asm_expect_num(s, "an offset", n);
}

/* llvm-objdump follows a jump offset with its target: `goto +0x2 <LBB0_3>`. */
static int skip_target_note(struct asm_state *s)
{
	const char *close;

	if (!asm_peek_char(s, '<'))
		return 0;
	close = memchr(s->p, '>', (size_t)(s->end - s->p));
	if (!close)
		return asm_expected(s, "'>'");
	asm_consumed(s, s->p, (size_t)(close + 1 - s->p));
	return 0;
}

/* A branch target: +N, -N, N, pc+N or a label; `kind` says whether it goes to off or imm. */
static int lex_target(struct asm_state *s, uint8_t kind, struct ops *o)
{
	struct asm_num n;
	const char *w;
	size_t len;
	int rc = asm_lex_num(s, &n);

	if (rc == 1)
		rc = lex_pc(s, &n);
	if (rc == 1) {
		if (!(len = asm_lex_ident(s, &w)))
			return asm_expected(s, "a jump target (a label or +offset)");
		rc = asm_fixup_add(s, kind, w, len);
	} else if (!rc) {
		rc = kind == ASM_FIX_OFF ? asm_num_off16(s, &n, "jump offset", &o->off) : asm_num_imm32(s, &n, &o->imm);
	}
	return rc ? rc : skip_target_note(s);
}

/* `open reg +/- off close`: (r1 + 4) and [%r1+4]. */
static int lex_mem(struct asm_state *s, char open, char close, unsigned *reg, int16_t *off)
{
	struct asm_num n;
	int rc;

	if ((rc = asm_expect_char(s, open)) || (rc = asm_lex_reg_plus(s, close, reg, &n)))
		return rc;
	return asm_num_off16(s, &n, "offset", off);
}

/* `(u32 *)`, `(s8 *)`: the access size in bytes and whether it is signed. */
static int lex_cast(struct asm_state *s, uint8_t *size, int *sx)
{
	const char *w;
	size_t len;
	unsigned bits = 0;
	int rc;

	if ((rc = asm_expect_char(s, '(')))
		return rc;
	len = asm_peek_ident(s, &w);
	if (len >= 2 && len <= 3 && (w[0] == 'u' || w[0] == 's'))
		for (size_t i = 1; i < len; i++)
			bits = (w[i] >= '0' && w[i] <= '9') ? bits * 10 + (unsigned)(w[i] - '0') : 1000;
	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		return asm_expected(s, "a type (u8, u16, u32, u64, s8, s16, s32)");
	asm_consumed(s, w, len);
	*size = (uint8_t)(bits / 8);
	*sx = w[0] == 's';
	if ((rc = asm_expect_char(s, '*')))
		return rc;
	return asm_expect_char(s, ')');
}

/* map[fd:N], map[fd:N][0]+M, map[idx:N], map[idx:N][0]+M (after "map"). */
static int lex_map(struct asm_state *s, int32_t *src, struct ops *o)
{
	struct asm_num n;
	int rc, by_fd, value = 0;

	if ((rc = asm_expect_char(s, '[')))
		return rc;
	by_fd = asm_accept_word(s, "fd");
	if (!by_fd && !asm_accept_word(s, "idx"))
		return asm_expected(s, "'fd' or 'idx'");
	if ((rc = asm_expect_char(s, ':')) || (rc = asm_expect_num(s, by_fd ? "a map fd" : "a map index", &n)) ||
	    (rc = asm_num_u32(s, &n, by_fd ? "map fd" : "map index", &o->imm)) || (rc = asm_expect_char(s, ']')))
		return rc;
	if (asm_accept_char(s, '[')) {
		if ((rc = asm_expect_num(s, "'0'", &n)))
			return rc;
		if (n.mag != 0)
			return asm_error_at(s, n.at, "a map value is addressed as [0]+offset");
		if ((rc = asm_expect_char(s, ']')))
			return rc;
		value = 1;
		if (asm_accept_char(s, '+') &&
		    ((rc = asm_expect_num(s, "a value offset", &n)) ||
		     (rc = asm_num_u32(s, &n, "value offset", &o->imm_hi))))
			return rc;
	}
	if (by_fd)
		*src = value ? NYK_PSEUDO_MAP_VALUE : NYK_PSEUDO_MAP_FD;
	else
		*src = value ? NYK_PSEUDO_MAP_IDX_VALUE : NYK_PSEUDO_MAP_IDX;
	return 0;
}

/*
 * The value of an lddw: a 64-bit constant, map[...], btf_var[N] or
 * func[target]. *src receives the pseudo source that selects the row.
 */
static int lex_lddw_value(struct asm_state *s, int32_t *src, struct ops *o)
{
	struct asm_num n;
	uint64_t v;
	int rc = asm_lex_num(s, &n);

	if (rc <= 0) {
		if (rc || (rc = asm_num_imm64(s, &n, &v)))
			return rc;
		o->imm = asm_s32((uint32_t)v);
		o->imm_hi = asm_s32((uint32_t)(v >> 32));
		*src = NYK_PSEUDO_NONE;
		return 0;
	}
	if (asm_accept_word(s, "map"))
		return lex_map(s, src, o);
	if (asm_accept_word(s, "btf_var")) {
		*src = NYK_PSEUDO_BTF_ID;
		if ((rc = asm_expect_char(s, '[')) || (rc = asm_expect_num(s, "a BTF id", &n)) ||
		    (rc = asm_num_u32(s, &n, "BTF id", &o->imm)))
			return rc;
		return asm_expect_char(s, ']');
	}
	if (asm_accept_word(s, "func")) {
		*src = NYK_PSEUDO_FUNC;
		if ((rc = asm_expect_char(s, '[')) || (rc = lex_target(s, ASM_FIX_IMM, o)))
			return rc;
		return asm_expect_char(s, ']');
	}
	return asm_expected(s, "a 64-bit constant, map[...], btf_var[...] or func[...]");
}

/* The operands of a call, once its form is known. */
static int lex_call_operands(struct asm_state *s, uint8_t form, struct ops *o)
{
	struct asm_num n;
	int rc;

	switch (form) {
	case NYK_FORM_CALLX:
		return asm_expect_reg(s, &o->dst, NULL);
	case NYK_FORM_CALL:
		return lex_imm32(s, "a helper id", &o->imm);
	case NYK_FORM_CALL_LOCAL:
		return lex_target(s, ASM_FIX_IMM, o);
	default:
		if ((rc = lex_imm32(s, "a kfunc BTF id", &o->imm)))
			return rc;
		if (!asm_accept_char(s, ','))
			return 0;
		if ((rc = asm_expect_word(s, "btf_fd_idx")) || (rc = asm_expect_num(s, "a BTF fd index", &n)))
			return rc;
		return asm_num_off16(s, &n, "BTF fd index", &o->off);
	}
}

/*
 * call N | call helper N | call local T | call runtime N | call kfunc N
 * | call pc+N | call label | call rN | call %rN | call helper %rN
 */
static int st_call(struct asm_state *s, const char *start)
{
	struct row_key k = KEY(NYK_FORM_CALL);
	struct ops o = { 0 };
	int rc, helper = asm_accept_word(s, "helper");

	if (!helper && asm_accept_word(s, "local"))
		k.form = NYK_FORM_CALL_LOCAL;
	else if (!helper && (asm_accept_word(s, "runtime") || asm_accept_word(s, "kfunc")))
		k.form = NYK_FORM_CALL_KFUNC;
	else if (asm_peek_reg(s))
		k.form = NYK_FORM_CALLX;
	else if (!helper && !asm_peek_num(s))
		k.form = NYK_FORM_CALL_LOCAL;
	if ((rc = lex_call_operands(s, k.form, &o)))
		return rc;
	return emit_key(s, start, &k, &o);
}

/* ---- the C-like syntax ----------------------------------------------- */

static int same_width(struct asm_state *s, const char *at, int w1, int w2)
{
	if (w1 == w2)
		return 0;
	return asm_error_at(s, at, "both registers must be 64-bit (rN) or both 32-bit (wN)");
}

/* `=`, `+=`, `s>>=`...: *op receives what precedes '='. Returns 1 when there is none. */
static int lex_assign_op(struct asm_state *s, const char **op, size_t *len)
{
	const char *q;

	asm_skip_ws(s);
	q = s->p;
	if (q < s->end && *q == 's')
		q++;
	while (q < s->end && *q && strchr("+-*/%|&^<>", *q))
		q++;
	if (q >= s->end || *q != '=')
		return 1;
	*op = s->p;
	*len = (size_t)(q - s->p);
	asm_consumed(s, s->p, *len + 1);
	return 0;
}

/* dst op= src|imm */
static int c_alu(struct asm_state *s, const char *start, struct ops *o, int w, const char *op, size_t len)
{
	struct row_key k = KEY(NYK_FORM_ALU_K);
	const char *at;
	int rc, w2 = w;

	k.is64 = !w;
	k.op = op;
	k.op_len = len;
	asm_skip_ws(s);
	at = s->p;
	if ((rc = lex_reg_or_imm(s, &o->src, &w2, &o->imm)) < 0)
		return rc;
	if (rc == 1) {
		k.form = NYK_FORM_ALU_X;
		if ((rc = same_width(s, at, w, w2)))
			return rc;
	}
	return emit_key(s, start, &k, o);
}

/* dst = -dst */
static int c_neg(struct asm_state *s, const char *start, struct ops *o, int w)
{
	struct row_key k = KEY(NYK_FORM_NEG);
	unsigned src;
	int rc, w2;
	const char *at = s->p;

	if ((rc = asm_expect_reg(s, &src, &w2)))
		return rc;
	if (src != o->dst || w2 != w)
		return asm_error_at(s, at, "negation works in place: write '%c%u = -%c%u'", w ? 'w' : 'r', o->dst,
				    w ? 'w' : 'r', o->dst);
	k.is64 = !w;
	return emit_key(s, start, &k, o);
}

/* dst = (sN)src */
static int c_movsx(struct asm_state *s, const char *start, struct ops *o, int w)
{
	struct row_key k = KEY(NYK_FORM_MOVSX);
	struct asm_num n;
	const char *at;
	int rc, w2;

	if ((rc = asm_expect_char(s, '(')))
		return rc;
	asm_skip_ws(s);
	if (s->p >= s->end || *s->p != 's')
		return asm_expected(s, "(s8), (s16) or (s32)");
	asm_consumed(s, s->p, 1);
	if ((rc = asm_expect_num(s, "(s8), (s16) or (s32)", &n)) || (rc = asm_expect_char(s, ')')))
		return rc;
	asm_skip_ws(s);
	at = s->p;
	if ((rc = asm_expect_reg(s, &o->src, &w2)) || (rc = same_width(s, at, w, w2)))
		return rc;
	k.is64 = !w;
	k.has_sel = 1;
	k.sel = n.mag > 64 ? -1 : (int32_t)n.mag;
	return emit_key(s, start, &k, o);
}

/* dst = le16 dst (the row's name, then the same register) */
static int c_end(struct asm_state *s, const char *start, struct ops *o, const struct row_key *k)
{
	unsigned reg;
	int rc;
	const char *at;

	asm_consumed(s, k->word, k->word_len);
	asm_skip_ws(s);
	at = s->p;
	if ((rc = asm_expect_reg(s, &reg, NULL)))
		return rc;
	if (reg != o->dst)
		return asm_error_at(s, at, "byte swaps work in place: write 'r%u = %.*s r%u'", o->dst,
				    (int)k->word_len, k->word, o->dst);
	return emit_key(s, start, k, o);
}

/* r0 = *(uN *)skb[imm] and r0 = *(uN *)skb[rS + imm] (after "skb"). */
static int c_packet(struct asm_state *s, const char *start, struct ops *o, uint8_t size)
{
	struct row_key k = KEY(NYK_FORM_LD_ABS);
	struct asm_num n;
	int rc;

	if (o->dst != 0)
		return asm_error_at(s, start, "legacy packet loads always write r0");
	if ((rc = asm_expect_char(s, '[')))
		return rc;
	if (asm_peek_reg(s)) {
		k.form = NYK_FORM_LD_IND;
		rc = asm_lex_reg_plus(s, ']', &o->src, &n);
	} else if (!(rc = asm_expect_num(s, "a packet offset", &n))) {
		rc = asm_expect_char(s, ']');
	}
	if (rc || (rc = asm_num_imm32(s, &n, &o->imm)))
		return rc;
	k.size = size;
	return emit_key(s, start, &k, o);
}

/* dst = *(uN *)(src + off), dst = *(sN *)(src + off) and the packet loads. */
static int c_load(struct asm_state *s, const char *start, struct ops *o)
{
	struct row_key k = KEY(NYK_FORM_LDX);
	int rc, sx;

	if ((rc = asm_expect_char(s, '*')) || (rc = lex_cast(s, &k.size, &sx)))
		return rc;
	if (!sx && asm_accept_word(s, "skb"))
		return c_packet(s, start, o, k.size);
	if ((rc = lex_mem(s, '(', ')', &o->src, &o->off)))
		return rc;
	k.sx = (int8_t)sx;
	return emit_key(s, start, &k, o);
}

/* Parse the name of an atomic function: atomic[64]_fetch_<op>, atomic[64]_<op>, <op>[32]_<bits>. */
static int atomic_fn_name(const char *w, size_t len, struct row_key *k, int *cast_args)
{
	const char *p = w, *e = w + len, *us;

	if (len > 7 && memcmp(w, "atomic", 6) == 0) {
		p += 6;
		if (e - p >= 2 && memcmp(p, "64", 2) == 0)
			p += 2;
		if (p >= e || *p++ != '_')
			return 0;
		k->named = 1;
		if (e - p > 6 && memcmp(p, "fetch_", 6) == 0) {
			p += 6;
			k->named = 0;
			k->fetch = 1;
		}
		*cast_args = 1;
	} else {
		for (us = e; us > w && us[-1] != '_'; us--)
			;
		if (us == w || e - us != 2 || !((us[0] == '3' && us[1] == '2') || (us[0] == '6' && us[1] == '4')))
			return 0;
		k->size = us[0] == '3' ? 4 : 8;
		e = us - 1;
		if (e - p > 2 && e[-2] == '3' && e[-1] == '2')
			e -= 2;
		k->named = 1;
		*cast_args = 0;
	}
	k->word = p;
	k->word_len = (size_t)(e - p);
	return k->word_len > 0;
}

/*
 * rS = atomic_fetch_add((u64 *)(rD + off), rS), rS = xchg_64(rD + off, rS),
 * r0 = cmpxchg_64(rD + off, r0, rS) and the kernel's atomic64_... spellings.
 */
static int c_atomic_fn(struct asm_state *s, const char *start, struct ops *o, int w, const char *name, size_t len)
{
	struct row_key k = KEY(NYK_FORM_ATOMIC);
	const struct nyk_insn_desc *d;
	unsigned result = o->dst, a, b = 0;
	int rc, cast_args, sx = 0, two = 0;

	if (!atomic_fn_name(name, len, &k, &cast_args))
		return asm_expected(s, "a register, an immediate or an expression");
	asm_consumed(s, name, len);
	if ((rc = asm_expect_char(s, '(')))
		return rc;
	if (cast_args) {
		if ((rc = lex_cast(s, &k.size, &sx)) || (rc = lex_mem(s, '(', ')', &o->dst, &o->off)) ||
		    (rc = asm_expect_char(s, ',')))
			return rc;
	} else {
		struct asm_num n;
		if ((rc = asm_lex_reg_plus(s, ',', &o->dst, &n)) || (rc = asm_num_off16(s, &n, "offset", &o->off)))
			return rc;
	}
	if ((rc = asm_expect_reg(s, &a, NULL)))
		return rc;
	if (asm_accept_char(s, ',')) {
		two = 1;
		if ((rc = asm_expect_reg(s, &b, NULL)))
			return rc;
	}
	if ((rc = asm_expect_char(s, ')')))
		return rc;
	if (sx || !(d = find_row(s, &k)))
		return no_such_insn(s, start);
	if (strcmp(d->op, "cmpxchg") == 0) {
		if (!two || a != 0 || result != 0)
			return asm_error_at(s, start, "cmpxchg compares with r0 and loads into r0: write "
					    "'%c0 = %s(..., %c0, rN)'", w ? 'w' : 'r', "cmpxchg", w ? 'w' : 'r');
		o->src = b;
	} else {
		if (two)
			return no_such_insn(s, start);
		if (a != result)
			return asm_error_at(s, start,
					    "the old value is loaded into the source register: write '%c%u = ...'",
					    w ? 'w' : 'r', a);
		o->src = a;
	}
	return emit(s, d, o);
}

/* dst = value ll */
static int c_lddw(struct asm_state *s, const char *start, struct ops *o)
{
	struct row_key k = KEY(NYK_FORM_LDDW);
	int32_t src;
	int rc;

	if ((rc = lex_lddw_value(s, &src, o)) || (rc = asm_expect_word(s, "ll")))
		return rc;
	k.has_sel = 1;
	k.sel = src;
	return emit_key(s, start, &k, o);
}

/* Whether the number at the cursor is followed by "ll" (an lddw constant). */
static int number_then_ll(struct asm_state *s)
{
	const char *save = s->p, *prev = s->prev;
	size_t prev_len = s->prev_len;
	struct asm_num n;
	int ll = asm_lex_num(s, &n) == 0 && asm_accept_word(s, "ll");

	s->p = save;
	s->prev = prev;
	s->prev_len = prev_len;
	return ll;
}

/* dst = <value>: mov, neg, movsx, loads, byte swaps, lddw and the fetching atomics. */
static int c_assign_value(struct asm_state *s, const char *start, struct ops *o, int w)
{
	struct row_key k = KEY(NYK_FORM_END);
	const char *save = s->p, *prev = s->prev, *word;
	size_t len;

	if (asm_accept_char(s, '-')) {
		if (asm_peek_reg(s))
			return c_neg(s, start, o, w);
		s->p = save;
		s->prev = prev;
		s->prev_len = 1;
	}
	if (asm_peek_char(s, '('))
		return c_movsx(s, start, o, w);
	if (asm_peek_char(s, '*'))
		return c_load(s, start, o);
	if (asm_peek_num(s) && number_then_ll(s))
		return c_lddw(s, start, o);
	if (asm_peek_num(s) || asm_peek_reg(s))
		return c_alu(s, start, o, w, "", 0);
	len = asm_peek_ident(s, &word);
	if (str_is(word, len, "map") || str_is(word, len, "btf_var") || str_is(word, len, "func"))
		return c_lddw(s, start, o);
	k.word = word;
	k.word_len = len;
	if (len && find_row(s, &k))
		return c_end(s, start, o, &k);
	return c_atomic_fn(s, start, o, w, word, len);
}

/* Statements that start with a register: dst op= value. */
static int c_assign(struct asm_state *s, const char *start)
{
	struct ops o = { 0 };
	const char *op;
	size_t len;
	int rc, w;

	if ((rc = asm_expect_reg(s, &o.dst, &w)))
		return rc;
	if (lex_assign_op(s, &op, &len))
		return asm_expected(s, "an assignment ('=', '+=', ...)");
	if (len)
		return c_alu(s, start, &o, w, op, len);
	return c_assign_value(s, start, &o, w);
}

/* *(uN *)(dst + off) = src|imm */
static int c_store(struct asm_state *s, const char *start)
{
	struct row_key k = KEY(NYK_FORM_ST);
	struct ops o = { 0 };
	const char *op;
	size_t len;
	int rc, sx;

	if ((rc = asm_expect_char(s, '*')) || (rc = lex_cast(s, &k.size, &sx)) ||
	    (rc = lex_mem(s, '(', ')', &o.dst, &o.off)))
		return rc;
	if (lex_assign_op(s, &op, &len) || len)
		return asm_expected(s, "'='");
	if ((rc = lex_reg_or_imm(s, &o.src, NULL, &o.imm)) < 0)
		return rc;
	if (rc == 1)
		k.form = NYK_FORM_STX;
	if (sx)
		return no_such_insn(s, start);
	return emit_key(s, start, &k, &o);
}

/* lock *(uN *)(dst + off) op= src (after "lock") */
static int c_lock(struct asm_state *s, const char *start)
{
	struct row_key k = KEY(NYK_FORM_ATOMIC);
	struct ops o = { 0 };
	int rc, sx;

	if ((rc = asm_expect_char(s, '*')) || (rc = lex_cast(s, &k.size, &sx)) ||
	    (rc = lex_mem(s, '(', ')', &o.dst, &o.off)))
		return rc;
	if (lex_assign_op(s, &k.op, &k.op_len) || !k.op_len)
		return asm_expected(s, "an operation ('+=', '|=', '&=', '^=')");
	if ((rc = asm_expect_reg(s, &o.src, NULL)))
		return rc;
	k.fetch = 0;
	k.named = 0;
	if (sx)
		return no_such_insn(s, start);
	return emit_key(s, start, &k, &o);
}

/* if dst op src|imm goto target (after "if") */
static int c_cond(struct asm_state *s, const char *start)
{
	struct row_key k = KEY(NYK_FORM_JMP_K);
	struct ops o = { 0 };
	const char *q, *at;
	int rc, w, w2;

	if ((rc = asm_expect_reg(s, &o.dst, &w)))
		return rc;
	asm_skip_ws(s);
	q = s->p;
	if (q + 1 < s->end && *q == 's' && (q[1] == '<' || q[1] == '>'))
		q++;
	while (q < s->end && *q && strchr("=!<>&", *q))
		q++;
	if (q == s->p)
		return asm_expected(s, "a comparison ('==', '!=', '>', 's<', '&', ...)");
	k.op = s->p;
	k.op_len = (size_t)(q - s->p);
	asm_consumed(s, s->p, k.op_len);
	asm_skip_ws(s);
	at = s->p;
	w2 = w;
	if ((rc = lex_reg_or_imm(s, &o.src, &w2, &o.imm)) < 0)
		return rc;
	if (rc == 1) {
		k.form = NYK_FORM_JMP_X;
		if ((rc = same_width(s, at, w, w2)))
			return rc;
	}
	k.is64 = !w;
	if ((rc = asm_expect_word(s, "goto")) || (rc = lex_target(s, ASM_FIX_OFF, &o)))
		return rc;
	return emit_key(s, start, &k, &o);
}

/* goto target, gotol target (after the word) */
static int c_goto(struct asm_state *s, const char *start, int long_jump)
{
	struct row_key k = KEY(long_jump ? NYK_FORM_JA32 : NYK_FORM_JA);
	struct ops o = { 0 };
	int rc = lex_target(s, long_jump ? ASM_FIX_IMM : ASM_FIX_OFF, &o);

	return rc ? rc : emit_key(s, start, &k, &o);
}

/* ---- the conformance dialect ----------------------------------------- */

/* The longest run of words that is a name in the table ("lock fetch add32"). */
static int lex_mnemonic(struct asm_state *s, const struct asm_name **out)
{
	char key[ASM_MNEMONIC_MAX];
	const char *w;
	size_t klen, len = asm_lex_ident(s, &w);
	const struct asm_name *e;

	if (!len)
		return asm_expected(s, "an instruction");
	e = len < sizeof(key) ? name_slot(s, w, len) : NULL;
	if (!e || !e->key)
		return asm_error_at(s, w, "unknown mnemonic '%.*s'", len > 40 ? 40 : (int)len, w);
	memcpy(key, w, len);
	klen = len;
	while ((len = asm_peek_ident(s, &w)) && klen + 1 + len < sizeof(key)) {
		const struct asm_name *next;
		key[klen] = ' ';
		memcpy(key + klen + 1, w, len);
		next = name_slot(s, key, klen + 1 + len);
		if (!next->key)
			break;
		asm_consumed(s, w, len);
		klen += 1 + len;
		e = next;
	}
	if (!e->row)
		return asm_expected(s, "an operation");
	*out = e;
	return 0;
}

/* The row among those named like `first` that has `form` (and, when has_sel, that selector value). */
static const struct nyk_insn_desc *named_row(const struct asm_state *s, const struct asm_name *e, unsigned form,
					     int has_sel, int32_t sel)
{
	for (unsigned r = e->row; r; r = s->same_name[r - 1]) {
		const struct nyk_insn_desc *d = &s->table[r - 1];
		if (d->form == form && (!has_sel || d->sel_value == sel))
			return d;
	}
	return NULL;
}

/* add %r0, 5 | add %r0, %r1 | jeq %r1, 5, target | jeq %r1, %r2, target */
static int conf_binary(struct asm_state *s, const char *start, const struct asm_name *e, unsigned form)
{
	const struct nyk_insn_desc *d;
	struct ops o = { 0 };
	int rc, jump = form == NYK_FORM_JMP_K || form == NYK_FORM_JMP_X, reg;

	if ((rc = asm_expect_reg(s, &o.dst, NULL)) || (rc = asm_expect_char(s, ',')))
		return rc;
	if ((reg = lex_reg_or_imm(s, &o.src, NULL, &o.imm)) < 0)
		return reg;
	if (jump && ((rc = asm_expect_char(s, ',')) || (rc = lex_target(s, ASM_FIX_OFF, &o))))
		return rc;
	if (jump)
		form = reg ? NYK_FORM_JMP_X : NYK_FORM_JMP_K;
	else
		form = reg ? NYK_FORM_ALU_X : NYK_FORM_ALU_K;
	d = named_row(s, e, form, 0, 0);
	return d ? emit(s, d, &o) : no_such_insn(s, start);
}

/* lddw %rN, value */
static int conf_lddw(struct asm_state *s, const char *start, const struct asm_name *e)
{
	const struct nyk_insn_desc *d;
	struct ops o = { 0 };
	int32_t src;
	int rc;

	if ((rc = asm_expect_reg(s, &o.dst, NULL)) || (rc = asm_expect_char(s, ',')) ||
	    (rc = lex_lddw_value(s, &src, &o)))
		return rc;
	asm_accept_word(s, "ll");
	d = named_row(s, e, NYK_FORM_LDDW, 1, src);
	return d ? emit(s, d, &o) : no_such_insn(s, start);
}

/* The operands of every other form, in the order the form writes them. */
static int conf_operands(struct asm_state *s, const struct nyk_insn_desc *d, struct ops *o)
{
	int rc = 0;

	switch (d->form) {
	case NYK_FORM_NEG:
	case NYK_FORM_END:
		return asm_expect_reg(s, &o->dst, NULL);
	case NYK_FORM_MOVSX:
		if ((rc = asm_expect_reg(s, &o->dst, NULL)) || (rc = asm_expect_char(s, ',')))
			return rc;
		return asm_expect_reg(s, &o->src, NULL);
	case NYK_FORM_JA:
		return lex_target(s, ASM_FIX_OFF, o);
	case NYK_FORM_JA32:
		return lex_target(s, ASM_FIX_IMM, o);
	case NYK_FORM_CALL:
	case NYK_FORM_CALL_LOCAL:
	case NYK_FORM_CALL_KFUNC:
	case NYK_FORM_CALLX:
		return lex_call_operands(s, d->form, o);
	case NYK_FORM_LDX:
		if ((rc = asm_expect_reg(s, &o->dst, NULL)) || (rc = asm_expect_char(s, ',')))
			return rc;
		return lex_mem(s, '[', ']', &o->src, &o->off);
	case NYK_FORM_ST:
		if ((rc = lex_mem(s, '[', ']', &o->dst, &o->off)) || (rc = asm_expect_char(s, ',')))
			return rc;
		return lex_imm32(s, "an immediate", &o->imm);
	case NYK_FORM_STX:
	case NYK_FORM_ATOMIC:
		if ((rc = lex_mem(s, '[', ']', &o->dst, &o->off)) || (rc = asm_expect_char(s, ',')))
			return rc;
		return asm_expect_reg(s, &o->src, NULL);
	case NYK_FORM_LD_ABS:
		return lex_imm32(s, "a packet offset", &o->imm);
	case NYK_FORM_LD_IND:
		if ((rc = asm_expect_reg(s, &o->src, NULL)) || (rc = asm_expect_char(s, ',')))
			return rc;
		return lex_imm32(s, "a packet offset", &o->imm);
	default:   /* NYK_FORM_EXIT */
		return 0;
	}
}

static int st_conformance(struct asm_state *s, const char *start)
{
	const struct asm_name *e = NULL;
	const struct nyk_insn_desc *d;
	struct ops o = { 0 };
	int rc;

	if ((rc = lex_mnemonic(s, &e)))
		return rc;
	d = &s->table[e->row - 1];
	switch (d->form) {
	case NYK_FORM_ALU_K:
	case NYK_FORM_ALU_X:
	case NYK_FORM_JMP_K:
	case NYK_FORM_JMP_X:
		return conf_binary(s, start, e, d->form);
	case NYK_FORM_LDDW:
		return conf_lddw(s, start, e);
	default:
		return (rc = conf_operands(s, d, &o)) ? rc : emit(s, d, &o);
	}
}

/* ---- lines ----------------------------------------------------------- */

/* .insn 0x<64 bits>: one raw slot (opcode in bits 0-7, dst 8-11, src 12-15, off 16-31, imm 32-63). */
static int st_raw(struct asm_state *s)
{
	struct asm_num n;
	uint64_t v;
	int rc;

	if ((rc = asm_expect_num(s, "a 64-bit instruction slot", &n)) || (rc = asm_num_imm64(s, &n, &v)) ||
	    (rc = grow(s, 1)))
		return rc;
	s->insns[s->count++] = (struct nyk_insn){
		(uint8_t)v, (uint8_t)(v >> 8), asm_s16((uint16_t)(v >> 16)), asm_s32((uint32_t)(v >> 32)),
	};
	return 0;
}

static int statement(struct asm_state *s)
{
	const char *start = s->p, *w;
	size_t len = asm_peek_ident(s, &w);

	if (*start == '*')
		return c_store(s, start);
	if (str_is(w, len, "if") || str_is(w, len, "goto") || str_is(w, len, "gotol") || str_is(w, len, "call") ||
	    str_is(w, len, ".insn")) {
		asm_consumed(s, w, len);
		if (w[0] == 'i')
			return c_cond(s, start);
		if (w[0] == 'g')
			return c_goto(s, start, len == 5);
		if (w[0] == 'c')
			return st_call(s, start);
		return st_raw(s);
	}
	if (str_is(w, len, "lock")) {
		asm_consumed(s, w, len);
		if (asm_peek_char(s, '*'))
			return c_lock(s, start);
		s->p = start;
		s->prev_len = 0;
	}
	if (*start != '%' && asm_peek_reg(s))
		return c_assign(s, start);
	return st_conformance(s, start);
}

/* Labels: `name:` and llvm-objdump's `<name>:`, any number before a statement. */
static int lex_labels(struct asm_state *s)
{
	for (;;) {
		const char *w, *close;
		size_t len;
		int rc;

		asm_skip_ws(s);
		if (s->p < s->end && *s->p == '<') {
			close = memchr(s->p, '>', (size_t)(s->end - s->p));
			if (!close || close + 1 >= s->end || close[1] != ':')
				return 0;
			if (close == s->p + 1)
				return asm_error_at(s, s->p, "empty label name");
			if ((rc = asm_label_define(s, s->p + 1, (size_t)(close - s->p - 1), s->p)))
				return rc;
			s->p = close + 2;
			continue;
		}
		len = asm_peek_ident(s, &w);
		if (!len || w + len >= s->end || w[len] != ':')
			return 0;
		if ((rc = asm_label_define(s, w, len, w)))
			return rc;
		s->p = w + len + 1;
	}
}

static int starts_with(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/* Two hex digits followed by white space or the end: one byte of llvm-objdump's dump. */
static int is_hex_byte(const char *p, const char *end)
{
	return end - p >= 2 && asm_hex_value((unsigned char)p[0]) >= 0 && asm_hex_value((unsigned char)p[1]) >= 0 &&
	       (end - p == 2 || asm_is_ws(p[2]));
}

/* After llvm-objdump's index: raw bytes; after the kernel's: `(b7)`. */
static const char *skip_bytes(const char *p, const char *end, int indexed)
{
	const char *q = p;
	int n = 0;

	if (indexed && end - q >= 4 && q[0] == '(' && asm_hex_value((unsigned char)q[1]) >= 0 &&
	    asm_hex_value((unsigned char)q[2]) >= 0 && q[3] == ')')
		return q + 4;
	while (is_hex_byte(q, end)) {
		q += 2;
		while (q < end && asm_is_ws(*q))
			q++;
		n++;
	}
	return (indexed && n) || n >= 8 ? q : p;
}

/*
 * Skip what disassemblers put before a statement: llvm-objdump's
 * `  3:	b7 00 00 00 01 00 00 00	`, the kernel log's `3: (b7) `, the
 * address before `<func>:`. Returns 1 when the whole line is to be
 * skipped: llvm-objdump's relocation notes and headers.
 */
static int skip_prefix(struct asm_state *s)
{
	const char *p = s->p, *q = p;
	int indexed = 0;

	if (starts_with(p, s->end, "Disassembly of section"))
		return 1;
	while (q < s->end && asm_hex_value((unsigned char)*q) >= 0)
		q++;
	if (q > p && *p >= '0' && *p <= '9') {
		if (q < s->end && *q == ':') {
			indexed = 1;
			p = q + 1;
		} else {
			while (q < s->end && asm_is_ws(*q))
				q++;
			if (q < s->end && *q == '<')
				p = q;
		}
	}
	while (p < s->end && asm_is_ws(*p))
		p++;
	p = skip_bytes(p, s->end, indexed);
	while (p < s->end && asm_is_ws(*p))
		p++;
	if (indexed && starts_with(p, s->end, "R_BPF_"))
		return 1;
	s->p = p;
	return 0;
}

/* End of the statement: the first comment (`#`, `;`, `//`) or the end of the line. */
static const char *statement_end(const char *p, const char *end)
{
	for (; p < end; p++)
		if ((unsigned char)*p <= ';' && (*p == '#' || *p == ';' || (*p == '/' && p + 1 < end && p[1] == '/')))
			return p;
	return end;
}

static int assemble_line(struct asm_state *s)
{
	int rc;

	s->prev_len = 0;
	if (asm_at_end(s) || skip_prefix(s))
		return 0;
	if ((rc = lex_labels(s)) || asm_at_end(s))
		return rc;
	if ((rc = statement(s)))
		return rc;
	if (!asm_at_end(s)) {
		const char *w = s->p;
		size_t len = 0;
		while (w + len < s->end && !asm_is_ws(w[len]) && len < 40)
			len++;
		return asm_error_at(s, s->p, "unexpected '%.*s' after the instruction", (int)len, w);
	}
	return 0;
}

static int assemble(struct asm_state *s, const char *text, size_t len)
{
	size_t pos = 0;
	int rc;

	s->table = nyk_isa_table(&s->nrows);
	names_build(s);
	forms_build(s);
	if ((rc = grow(s, 2)))
		return rc;
	while (pos < len) {
		const char *eol = memchr(text + pos, '\n', len - pos);
		const char *line_end = eol ? eol : text + len;

		s->lineno++;
		s->line = s->p = text + pos;
		s->end = statement_end(s->line, line_end);
		if ((rc = assemble_line(s)))
			return rc;
		pos = (size_t)(line_end - text) + 1;
	}
	return asm_fixups_resolve(s);
}

int nyk_asm(const char *text, size_t len, const char *file, struct nyk_insn **insns, size_t *count,
	    struct nyk_error *err)
{
	struct asm_state *s;
	int rc;

	nyk_error_clear(err);
	if (!insns || !count || (!text && len))
		return nyk_error_set(err, -EINVAL, "nyk_asm: no text or no place for the result");
	*insns = NULL;
	*count = 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	s->file = file ? file : "";
	s->err = err;
	rc = assemble(s, text, len);
	if (!rc) {
		*insns = s->insns;
		*count = s->count;
	} else {
		free(s->insns);
	}
	free(s->labels);
	free(s->fixups);
	free(s);
	return rc;
}
