/*
 * asm_lex.c - the assembler's lexer: characters, words, registers and
 * numbers of one statement, the error messages that name what was expected
 * and what was found, and the label table.
 *
 * The input is not NUL-terminated: every read checks the cursor against
 * the end of the statement (s->end) first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/asm_internal.h"

/* ---- errors ---------------------------------------------------------- */

static int verror(struct asm_state *s, int code, int line, int column, const char *fmt, va_list ap)
{
	char msg[NYK_ERROR_MSG_MAX];

	if (!s->err)
		return code;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	nyk_error_set(s->err, code, "%s", msg);
	nyk_error_set_file(s->err, s->file);
	s->err->line = line;
	s->err->column = column;
	return code;
}

static int error_pos(struct asm_state *s, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int error_pos(struct asm_state *s, int line, int column, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(s, -EINVAL, line, column, fmt, ap);
	va_end(ap);
	return rc;
}

int asm_error_at(struct asm_state *s, const char *at, const char *fmt, ...)
{
	va_list ap;
	int rc, column = at ? (int)(at - s->line) + 1 : 0;

	va_start(ap, fmt);
	rc = verror(s, -EINVAL, s->lineno, column, fmt, ap);
	va_end(ap);
	return rc;
}

int asm_out_of_memory(struct asm_state *s)
{
	if (s->err) {
		nyk_error_set(s->err, -ENOMEM, "out of memory");
		nyk_error_set_file(s->err, s->file);
		s->err->line = s->lineno;
		s->err->column = 0;
	}
	return -ENOMEM;
}

/* ---- characters ------------------------------------------------------ */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int asm_hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int asm_is_ws(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
int asm_is_ident_start(int c) { return is_alpha(c) || c == '_' || c == '.' || c == '$'; }
int asm_is_ident_char(int c) { return asm_is_ident_start(c) || is_digit(c); }

void asm_consumed(struct asm_state *s, const char *start, size_t len)
{
	s->prev = start;
	s->prev_len = len;
	s->p = start + len;
}

/* Length of the token at p, as shown in messages: a word, a number or one character. */
static size_t token_len(const char *p, const char *end)
{
	const char *q = p;

	if (q >= end)
		return 0;
	if (*q == '%' || *q == '+' || *q == '-')
		q++;
	while (q < end && asm_is_ident_char((unsigned char)*q))
		q++;
	return q > p ? (size_t)(q - p) : 1;
}

static int clip(size_t len) { return len > 40 ? 40 : (int)len; }

int asm_expected(struct asm_state *s, const char *what)
{
	size_t got;

	asm_skip_ws(s);
	got = token_len(s->p, s->end);
	if (s->prev_len && got)
		return asm_error_at(s, s->p, "expected %s after '%.*s' (got '%.*s')", what, clip(s->prev_len),
				    s->prev, clip(got), s->p);
	if (s->prev_len)
		return asm_error_at(s, s->p, "expected %s after '%.*s' (got end of line)", what,
				    clip(s->prev_len), s->prev);
	if (got)
		return asm_error_at(s, s->p, "expected %s (got '%.*s')", what, clip(got), s->p);
	return asm_error_at(s, s->p, "expected %s (got end of line)", what);
}

int asm_peek_char(struct asm_state *s, char c)
{
	asm_skip_ws(s);
	return s->p < s->end && *s->p == c;
}

int asm_accept_char(struct asm_state *s, char c)
{
	if (!asm_peek_char(s, c))
		return 0;
	asm_consumed(s, s->p, 1);
	return 1;
}

int asm_expect_char(struct asm_state *s, char c)
{
	char what[4] = { '\'', c, '\'', 0 };

	if (asm_accept_char(s, c))
		return 0;
	return asm_expected(s, what);
}

size_t asm_peek_ident(struct asm_state *s, const char **start)
{
	const char *q;

	asm_skip_ws(s);
	q = s->p;
	*start = q;
	if (q >= s->end || !asm_is_ident_start((unsigned char)*q))
		return 0;
	while (q < s->end && asm_is_ident_char((unsigned char)*q))
		q++;
	return (size_t)(q - s->p);
}

size_t asm_lex_ident(struct asm_state *s, const char **start)
{
	size_t len = asm_peek_ident(s, start);

	if (len)
		asm_consumed(s, *start, len);
	return len;
}

int asm_accept_word(struct asm_state *s, const char *word)
{
	const char *start;
	size_t len = asm_peek_ident(s, &start);

	if (!len || len != strlen(word) || memcmp(start, word, len) != 0)
		return 0;
	asm_consumed(s, start, len);
	return 1;
}

int asm_expect_word(struct asm_state *s, const char *word)
{
	char what[ASM_MNEMONIC_MAX + 3];

	if (asm_accept_word(s, word))
		return 0;
	snprintf(what, sizeof(what), "'%s'", word);
	return asm_expected(s, what);
}

/* ---- registers ------------------------------------------------------- */

/* Length of a register token at p (0 if none); its number may be out of range. */
static size_t reg_token(const char *p, const char *end, unsigned *num, int *is32)
{
	const char *q = p;
	unsigned v = 0;

	if (q < end && *q == '%')
		q++;
	if (q >= end || (*q != 'r' && *q != 'w'))
		return 0;
	*is32 = *q++ == 'w';
	if (q >= end || !is_digit((unsigned char)*q))
		return 0;
	while (q < end && is_digit((unsigned char)*q)) {
		if (v < 1000)
			v = v * 10 + (unsigned)(*q - '0');
		q++;
	}
	if (q < end && asm_is_ident_char((unsigned char)*q))
		return 0;
	*num = v;
	return (size_t)(q - p);
}

int asm_peek_reg(struct asm_state *s)
{
	unsigned num;
	int is32;

	asm_skip_ws(s);
	return reg_token(s->p, s->end, &num, &is32) > 0;
}

/* Returns 0 with a register, 1 when the next token is not one, <0 on error. */
int asm_lex_reg(struct asm_state *s, unsigned *reg, int *is32)
{
	unsigned num = 0;
	int w = 0;
	size_t len;

	asm_skip_ws(s);
	len = reg_token(s->p, s->end, &num, &w);
	if (!len)
		return 1;
	if (num >= NYK_REG_COUNT)
		return asm_error_at(s, s->p, "invalid register '%.*s' (registers are r0..r10)", clip(len), s->p);
	*reg = num;
	if (is32)
		*is32 = w;
	asm_consumed(s, s->p, len);
	return 0;
}

int asm_expect_reg(struct asm_state *s, unsigned *reg, int *is32)
{
	int rc = asm_lex_reg(s, reg, is32);

	return rc == 1 ? asm_expected(s, "a register") : rc;
}

/* ---- numbers --------------------------------------------------------- */

int asm_peek_num(struct asm_state *s)
{
	const char *q;

	asm_skip_ws(s);
	q = s->p;
	if (q < s->end && (*q == '+' || *q == '-'))
		q++;
	return q < s->end && is_digit((unsigned char)*q);
}

/*
 * A decimal or 0x-hexadecimal number with an optional sign. Returns 0 with
 * a number, 1 when the next token is not one, <0 when it is malformed.
 */
int asm_lex_num(struct asm_state *s, struct asm_num *n)
{
	const char *q, *start;
	unsigned base = 10;
	uint64_t mag = 0;
	int overflow = 0, neg = 0, digits = 0;

	if (!asm_peek_num(s))
		return 1;
	start = q = s->p;
	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (q + 1 < s->end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		base = 16;
		q += 2;
	}
	for (; q < s->end; q++, digits++) {
		int d = base == 16 ? asm_hex_value((unsigned char)*q) : (is_digit((unsigned char)*q) ? *q - '0' : -1);
		if (d < 0)
			break;
		if (mag > (UINT64_MAX - (uint64_t)d) / base)
			overflow = 1;
		else
			mag = mag * base + (uint64_t)d;
	}
	if (!digits || (q < s->end && asm_is_ident_char((unsigned char)*q)))
		return asm_error_at(s, start, "invalid number '%.*s'", clip(token_len(start, s->end)), start);
	if (overflow)
		return asm_error_at(s, start, "number '%.*s' does not fit in 64 bits", clip((size_t)(q - start)),
				    start);
	n->mag = mag;
	n->neg = neg;
	n->hex = base == 16;
	n->at = start;
	n->len = (size_t)(q - start);
	asm_consumed(s, start, n->len);
	return 0;
}

int asm_expect_num(struct asm_state *s, const char *what, struct asm_num *n)
{
	int rc = asm_lex_num(s, n);

	return rc == 1 ? asm_expected(s, what) : rc;
}

static int32_t s32_from_neg(uint64_t mag)   /* mag <= 2^31 */
{
	return mag == 0x80000000u ? INT32_MIN : -(int32_t)mag;
}

/* A 32-bit immediate: signed decimal, or any 32-bit pattern written in hex. */
/* The value of a number as messages show it: sign, then decimal or 0x hex. */
static const char *num_text(const struct asm_num *n, char buf[24])
{
	snprintf(buf, 24, n->hex ? "%s0x%llx" : "%s%llu", n->neg ? "-" : "", (unsigned long long)n->mag);
	return buf;
}

/* A 32-bit immediate: signed decimal, or any 32-bit pattern written in hex. */
int asm_num_imm32(struct asm_state *s, const struct asm_num *n, int32_t *out)
{
	char text[24];

	if (n->neg ? n->mag > 0x80000000u : n->mag > 0xffffffffu)
		return asm_error_at(s, n->at, "immediate %s does not fit in 32 bits", num_text(n, text));
	if (!n->neg && !n->hex && n->mag > INT32_MAX)
		return asm_error_at(s, n->at,
				    "immediate %s does not fit in a signed 32-bit field (write 0x%llx for the bit pattern)",
				    num_text(n, text), (unsigned long long)n->mag);
	*out = n->neg ? s32_from_neg(n->mag) : asm_s32((uint32_t)n->mag);
	return 0;
}

/* A 32-bit identifier or unsigned offset: 0..0xffffffff in any base, or negative. */
int asm_num_u32(struct asm_state *s, const struct asm_num *n, const char *what, int32_t *out)
{
	char text[24];

	if (n->neg ? n->mag > 0x80000000u : n->mag > 0xffffffffu)
		return asm_error_at(s, n->at, "%s %s does not fit in 32 bits", what, num_text(n, text));
	*out = n->neg ? s32_from_neg(n->mag) : asm_s32((uint32_t)n->mag);
	return 0;
}

int asm_num_off16(struct asm_state *s, const struct asm_num *n, const char *what, int16_t *out)
{
	char text[24];

	if (n->neg ? n->mag > 32768 : n->mag > 32767)
		return asm_error_at(s, n->at, "%s %s does not fit in 16 bits (-32768..32767)", what,
				    num_text(n, text));
	*out = n->neg ? (int16_t)(-(int32_t)n->mag) : (int16_t)n->mag;
	return 0;
}

/* A 64-bit constant (lddw): any 64-bit pattern, or a negative number down to INT64_MIN. */
int asm_num_imm64(struct asm_state *s, const struct asm_num *n, uint64_t *out)
{
	char text[24];

	if (n->neg && n->mag > (uint64_t)1 << 63)
		return asm_error_at(s, n->at, "immediate %s does not fit in 64 bits", num_text(n, text));
	*out = n->neg ? (uint64_t)0 - n->mag : n->mag;
	return 0;
}

/*
 * `reg`, `reg + N` or `reg - N` followed by `close`: the inside of the
 * memory operands `(r1 + 4)` and `[%r1-8]` and of `skb[r1 + 4]`. The sign
 * before N combines with N's own sign (`[%r1+-2]`, `(r1 + -2)`).
 */
int asm_lex_reg_plus(struct asm_state *s, char close, unsigned *reg, struct asm_num *n)
{
	const char *sign;
	int rc, neg;

	if ((rc = asm_expect_reg(s, reg, NULL)))
		return rc;
	memset(n, 0, sizeof(*n));
	n->at = s->p;
	if (asm_peek_char(s, '+') || asm_peek_char(s, '-')) {
		sign = s->p;
		neg = *sign == '-';
		asm_consumed(s, sign, 1);
		if ((rc = asm_expect_num(s, "an offset", n)))
			return rc;
		n->neg ^= neg;
		n->len = (size_t)(n->at + n->len - sign);
		n->at = sign;
	}
	return asm_expect_char(s, close);
}

/* ---- labels and fixups ----------------------------------------------- */

uint32_t asm_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

static struct asm_label *label_find(struct asm_state *s, const char *name, size_t len, uint32_t h)
{
	size_t mask = s->label_cap - 1;

	if (!s->label_cap)
		return NULL;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct asm_label *l = &s->labels[i];
		if (!l->name || (l->hash == h && l->len == len && memcmp(l->name, name, len) == 0))
			return l;
	}
}

static int labels_grow(struct asm_state *s)
{
	size_t old_cap = s->label_cap, cap = old_cap ? old_cap * 2 : 64;
	struct asm_label *old = s->labels;

	s->labels = calloc(cap, sizeof(*s->labels));
	if (!s->labels) {
		s->labels = old;
		return asm_out_of_memory(s);
	}
	s->label_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].name)
			*label_find(s, old[i].name, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

int asm_label_define(struct asm_state *s, const char *name, size_t len, const char *at)
{
	uint32_t h = asm_hash(name, len);
	struct asm_label *l;
	int rc;

	if (len > UINT32_MAX)
		return asm_error_at(s, at, "label is too long");
	if ((s->nlabels + 1) * 2 > s->label_cap && (rc = labels_grow(s)))
		return rc;
	l = label_find(s, name, len, h);
	if (l->name)
		return asm_error_at(s, at, "duplicate label '%.*s' (first defined on line %d)", clip(len), name,
				    l->line);
	*l = (struct asm_label){ name, (uint32_t)len, h, s->count, s->lineno };
	s->nlabels++;
	return 0;
}

int asm_fixup_add(struct asm_state *s, uint8_t kind, const char *name, size_t len)
{
	if (len > UINT32_MAX)
		return asm_error_at(s, name, "label is too long");
	if (s->nfixups == s->fixup_cap) {
		size_t cap = s->fixup_cap ? s->fixup_cap * 2 : 64;
		struct asm_fixup *f = realloc(s->fixups, cap * sizeof(*f));
		if (!f)
			return asm_out_of_memory(s);
		s->fixups = f;
		s->fixup_cap = cap;
	}
	s->fixups[s->nfixups++] = (struct asm_fixup){
		s->count, name, (uint32_t)len, kind, s->lineno, (int)(name - s->line) + 1,
	};
	return 0;
}

static int fixup_resolve(struct asm_state *s, const struct asm_fixup *f)
{
	struct asm_label *l = label_find(s, f->name, f->len, asm_hash(f->name, f->len));
	long long delta;

	if (!l || !l->name)
		return error_pos(s, f->line, f->column, "undefined label '%.*s'", clip(f->len), f->name);
	delta = (long long)l->slot - (long long)f->pc - 1;
	if (f->kind == ASM_FIX_OFF) {
		if (delta < INT16_MIN || delta > INT16_MAX)
			return error_pos(s, f->line, f->column,
					 "label '%.*s' is %lld instructions away: too far for a 16-bit jump offset "
					 "(-32768..32767; gotol/ja32 reach further)", clip(f->len), f->name, delta);
		s->insns[f->pc].off = (int16_t)delta;
	} else {
		if (delta < INT32_MIN || delta > INT32_MAX)
			return error_pos(s, f->line, f->column, "label '%.*s' is too far for a 32-bit offset",
					 clip(f->len), f->name);
		s->insns[f->pc].imm = (int32_t)delta;
	}
	return 0;
}

int asm_fixups_resolve(struct asm_state *s)
{
	for (size_t i = 0; i < s->nfixups; i++) {
		int rc = fixup_resolve(s, &s->fixups[i]);
		if (rc)
			return rc;
	}
	return 0;
}
