/*
 * ctest.c - read one conformance test file (`.data`).
 *
 * The format is the de-facto one of the bpf_conformance and uBPF suites:
 * a file is a list of sections, each opened by a line `-- NAME`:
 *
 *   -- asm       program text, handed to the assembler as is
 *   -- raw       program as 64-bit words, one or more per line: `0x...`
 *                hex, or decimal without the prefix; bits 0-7 opcode,
 *                8-11 dst, 12-15 src, 16-31 offset, 32-63 immediate
 *   -- mem       input memory: hex bytes separated by blanks, any lines
 *   -- result    expected r0: `0x...` hex, decimal, or `-N`
 *   -- error     the program must be refused or fault; the section's text
 *                is the expected reason (may be empty). `-- error pattern`
 *                is read the same way.
 *
 * Other sections (`-- no register offset`, `-- c`, `-- map`, ...) are
 * skipped. Lines starting with `#` are comments outside `-- asm` (the
 * assembler reads its own comments); in -- mem, -- raw and -- result a `#`
 * also starts a comment at the end of a line. Every problem is reported
 * with the file and line (and column of the offending token).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/conformance.h"

enum section { SEC_NONE, SEC_IGNORE, SEC_ASM, SEC_RAW, SEC_MEM, SEC_RESULT, SEC_ERROR, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
	"", "", "asm", "raw", "mem", "result", "error",
};

/* A growable byte buffer. */
struct buf {
	char *data;
	size_t len, cap;
};

struct parser {
	const char *file;
	struct nyk_error *err;
	struct nyk_ctest *t;
	int line;                    /* current 1-based line */
	int seen[SEC_COUNT];         /* line of each section's header, 0 if absent */
	int have_result;
	struct buf asm_text, mem, raw, error_text;
};

static int buf_reserve(struct buf *b, size_t more)
{
	size_t want, cap;
	char *p;

	if (more > ((size_t)-1) / 2 - b->len)
		return -ENOMEM;
	want = b->len + more;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

static int buf_add(struct buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) < 0)
		return -ENOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

/* Add a NUL after the contents without counting it. */
static int buf_terminate(struct buf *b)
{
	if (buf_reserve(b, 1) < 0)
		return -ENOMEM;
	b->data[b->len] = '\0';
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Report an error at `line` (and column `col` when > 0) of the file. */
static int fail_at(struct parser *p, int line, int col, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail_at(struct parser *p, int line, int col, int code, const char *fmt, ...)
{
	char msg[NYK_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nyk_error_set_file(p->err, p->file);
	if (p->err) {
		p->err->line = line;
		p->err->column = col;
		p->err->insn = -1;
	}
	return nyk_error_set(p->err, code, "%s", msg);
}

static int out_of_memory(struct parser *p)
{
	return fail_at(p, p->line, 0, -ENOMEM, "out of memory");
}

/* Copy a token for a message: at most 24 characters, non-printables as '?'. */
static void quote_token(char *out, size_t size, const char *tok, size_t len)
{
	size_t n = 0, max = size - 1;

	if (max > 24)
		max = 24;
	for (size_t i = 0; i < len && n < max; i++) {
		unsigned char c = (unsigned char)tok[i];
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (len > max && n >= 3)
		memcpy(out + n - 3, "...", 3);
	out[n] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/*
 * Read a number token: `0x` hex, or decimal; with `allow_neg`, a leading
 * '-' negates (two's complement). Returns 0, -EINVAL (not a number) or
 * -ERANGE (does not fit in 64 bits).
 */
static int parse_u64(const char *tok, size_t len, int allow_neg, uint64_t *out)
{
	uint64_t v = 0;
	int neg = 0;
	size_t i = 0;

	if (allow_neg && len > 0 && tok[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (len - i > 2 && tok[i] == '0' && (tok[i + 1] == 'x' || tok[i + 1] == 'X')) {
		i += 2;
		for (; i < len; i++) {
			int d = hex_digit(tok[i]);
			if (d < 0)
				return -EINVAL;
			if (v >> 60)
				return -ERANGE;
			v = v << 4 | (uint64_t)d;
		}
	} else {
		if (i >= len)
			return -EINVAL;
		for (; i < len; i++) {
			if (tok[i] < '0' || tok[i] > '9')
				return -EINVAL;
			if (v > (UINT64_MAX - (uint64_t)(tok[i] - '0')) / 10)
				return -ERANGE;
			v = v * 10 + (uint64_t)(tok[i] - '0');
		}
	}
	*out = neg ? (uint64_t)0 - v : v;
	return 0;
}

/* Read one -- mem token: one or two hex digits, optionally after `0x`. */
static int parse_byte(const char *tok, size_t len, uint8_t *out)
{
	int hi, lo;

	if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		tok += 2;
		len -= 2;
	}
	if (len == 1 && (lo = hex_digit(tok[0])) >= 0) {
		*out = (uint8_t)lo;
		return 0;
	}
	if (len == 2 && (hi = hex_digit(tok[0])) >= 0 && (lo = hex_digit(tok[1])) >= 0) {
		*out = (uint8_t)(hi << 4 | lo);
		return 0;
	}
	return -EINVAL;
}

static struct nyk_insn insn_from_u64(uint64_t v)
{
	struct nyk_insn i;

	i.opcode = (uint8_t)(v & 0xff);
	i.regs = (uint8_t)((v >> 8) & 0xff);
	i.off = (int16_t)(uint16_t)((v >> 16) & 0xffff);
	i.imm = (int32_t)(uint32_t)(v >> 32);
	return i;
}

/* One whitespace-separated token of a data line (mem, raw, result). */
static int data_token(struct parser *p, enum section sec, const char *tok, size_t len, int col)
{
	char q[32];
	uint64_t v;
	uint8_t byte;
	int rc;

	quote_token(q, sizeof(q), tok, len);
	switch (sec) {
	case SEC_MEM:
		if (parse_byte(tok, len, &byte) < 0)
			return fail_at(p, p->line, col, -EINVAL, "expected hex byte, got '%s'", q);
		if (buf_add(&p->mem, &byte, 1) < 0)
			return out_of_memory(p);
		return 0;
	case SEC_RAW:
		rc = parse_u64(tok, len, 0, &v);
		if (rc == -ERANGE)
			return fail_at(p, p->line, col, rc, "instruction word '%s' does not fit in 64 bits", q);
		if (rc < 0)
			return fail_at(p, p->line, col, rc,
				       "expected instruction word (0x-prefixed hex or decimal), got '%s'", q);
		{
			struct nyk_insn insn = insn_from_u64(v);
			if (buf_add(&p->raw, &insn, sizeof(insn)) < 0)
				return out_of_memory(p);
		}
		return 0;
	case SEC_RESULT:
		if (p->have_result)
			return fail_at(p, p->line, col, -EINVAL, "unexpected '%s' after the result value", q);
		rc = parse_u64(tok, len, 1, &v);
		if (rc == -ERANGE)
			return fail_at(p, p->line, col, rc, "result '%s' does not fit in 64 bits", q);
		if (rc < 0)
			return fail_at(p, p->line, col, rc,
				       "expected result value (0x-prefixed hex or decimal), got '%s'", q);
		p->t->result = v;
		p->have_result = 1;
		return 0;
	default:
		return 0;
	}
}

/* A line of -- mem, -- raw or -- result: tokens up to an optional '#'. */
static int data_line(struct parser *p, enum section sec, const char *s, size_t len)
{
	size_t i = 0;
	int rc;

	while (i < len) {
		size_t start;

		while (i < len && (is_blank(s[i]) || s[i] == ','))
			i++;
		if (i >= len || s[i] == '#')
			break;
		start = i;
		while (i < len && !is_blank(s[i]) && s[i] != ',' && s[i] != '#')
			i++;
		if ((rc = data_token(p, sec, s + start, i - start, (int)start + 1)) < 0)
			return rc;
	}
	return 0;
}

/* A line of -- error: trimmed, joined to the text so far with '\n'. */
static int error_line(struct parser *p, const char *s, size_t len)
{
	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	while (len && is_blank(s[len - 1]))
		len--;
	if (!len || *s == '#')
		return 0;
	if ((p->error_text.len && buf_add(&p->error_text, "\n", 1) < 0) || buf_add(&p->error_text, s, len) < 0)
		return out_of_memory(p);
	return 0;
}

/* Which section a header line `-- NAME` opens. */
static enum section section_of(const char *name, size_t len)
{
	for (int s = SEC_ASM; s < SEC_COUNT; s++) {
		size_t n = strlen(section_names[s]);
		if (len == n && memcmp(name, section_names[s], n) == 0)
			return (enum section)s;
	}
	/* uBPF's `-- error pattern` is an -- error whose text is a pattern. */
	if (len > 6 && memcmp(name, "error", 5) == 0 && is_blank(name[5]))
		return SEC_ERROR;
	return SEC_IGNORE;
}

/* Handle a header line; `s` points after the leading "--". */
static int header_line(struct parser *p, const char *s, size_t len, enum section *cur)
{
	char q[32];
	enum section sec;

	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '#') {   /* "-- asm  # comment" */
			len = i;
			break;
		}
	}
	while (len && is_blank(s[len - 1]))
		len--;
	sec = section_of(s, len);
	if (sec != SEC_IGNORE) {
		if (p->seen[sec]) {
			quote_token(q, sizeof(q), s, len);
			return fail_at(p, p->line, 0, -EINVAL, "duplicate section '-- %s' (the first is at line %d)", q,
				       p->seen[sec]);
		}
		p->seen[sec] = p->line;
	}
	if (sec == SEC_ASM)
		p->t->asm_line = p->line + 1;
	*cur = sec;
	return 0;
}

static int is_header(const char *s, size_t len)
{
	return len >= 2 && s[0] == '-' && s[1] == '-' && (len == 2 || is_blank(s[2]));
}

static int parse_lines(struct parser *p, const char *text, size_t len)
{
	enum section cur = SEC_NONE;
	size_t pos = 0;
	int rc;

	p->line = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		size_t body = n;

		pos += n + (nl ? 1 : 0);
		if (p->line == INT_MAX)
			return fail_at(p, p->line, 0, -E2BIG, "too many lines");
		p->line++;
		if (memchr(s, '\0', n))
			return fail_at(p, p->line, 0, -EINVAL, "NUL byte in test file");
		if (body && s[body - 1] == '\r')
			body--;
		if (is_header(s, body)) {
			if ((rc = header_line(p, s + 2, body - 2, &cur)) < 0)
				return rc;
			continue;
		}
		switch (cur) {
		case SEC_ASM:
			if (buf_add(&p->asm_text, s, body) < 0 || buf_add(&p->asm_text, "\n", 1) < 0)
				return out_of_memory(p);
			break;
		case SEC_MEM:
		case SEC_RAW:
		case SEC_RESULT:
			if ((rc = data_line(p, cur, s, body)) < 0)
				return rc;
			break;
		case SEC_ERROR:
			if ((rc = error_line(p, s, body)) < 0)
				return rc;
			break;
		default:
			break;   /* before the first section, or a section we skip */
		}
	}
	return 0;
}

/* Whole-file checks and moving the buffers into the test. */
static int finish(struct parser *p)
{
	struct nyk_ctest *t = p->t;

	if (p->seen[SEC_ASM] && p->seen[SEC_RAW])
		return fail_at(p, p->seen[SEC_RAW], 0, -EINVAL,
			       "the test has both -- asm and -- raw (give the program once)");
	if (!p->seen[SEC_ASM] && !p->seen[SEC_RAW])
		return fail_at(p, 0, 0, -EINVAL, "the test has no program (-- asm or -- raw)");
	if (p->seen[SEC_RAW] && p->raw.len == 0)
		return fail_at(p, p->seen[SEC_RAW], 0, -EINVAL, "-- raw has no instruction words");
	if (p->seen[SEC_RESULT] && !p->have_result)
		return fail_at(p, p->seen[SEC_RESULT], 0, -EINVAL, "-- result has no value");
	if (!p->seen[SEC_RESULT] && !p->seen[SEC_ERROR])
		return fail_at(p, 0, 0, -EINVAL, "the test has neither -- result nor -- error");

	if (p->seen[SEC_ASM]) {
		if (buf_terminate(&p->asm_text) < 0)
			return out_of_memory(p);
		t->asm_text = p->asm_text.data;
		p->asm_text.data = NULL;
	}
	if (p->seen[SEC_RAW]) {
		t->raw = (struct nyk_insn *)(void *)p->raw.data;
		t->raw_count = p->raw.len / sizeof(struct nyk_insn);
		p->raw.data = NULL;
	}
	if (p->seen[SEC_MEM] && p->mem.len) {
		t->mem = (uint8_t *)p->mem.data;
		t->mem_len = p->mem.len;
		p->mem.data = NULL;
	}
	if (p->seen[SEC_ERROR]) {
		if (buf_terminate(&p->error_text) < 0)
			return out_of_memory(p);
		t->expect_error = 1;
		t->error_text = p->error_text.data;
		p->error_text.data = NULL;
	}
	return 0;
}

int nyk_ctest_parse(const char *text, size_t len, const char *file, struct nyk_ctest *t, struct nyk_error *err)
{
	struct parser p;
	int rc;

	memset(t, 0, sizeof(*t));
	memset(&p, 0, sizeof(p));
	p.file = file ? file : "";
	p.err = err;
	p.t = t;
	if (!text && len)
		return fail_at(&p, 0, 0, -EINVAL, "no text");
	rc = parse_lines(&p, text ? text : "", len);
	if (rc == 0)
		rc = finish(&p);
	free(p.asm_text.data);
	free(p.mem.data);
	free(p.raw.data);
	free(p.error_text.data);
	if (rc < 0)
		nyk_ctest_free(t);
	return rc;
}

void nyk_ctest_free(struct nyk_ctest *t)
{
	if (!t)
		return;
	free(t->asm_text);
	free(t->raw);
	free(t->mem);
	free(t->error_text);
	memset(t, 0, sizeof(*t));
}
