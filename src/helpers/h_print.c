/*
 * h_print.c - bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf: the
 * kernel's format subset (its bpf_bprintf_prepare rules) and the trace
 * sink their output goes to.
 *
 * Conversions: %d %i %u %x %X with l or ll, %c, %s, %p (%pK %px %ps %pS
 * %pB print the raw value: user space has no pointer hashing or symbols),
 * %pks %pus (strings), %pI4 %pi4 %pI6 %pi6 (addresses the argument points
 * to), %%; flags 0 + - space and a width. Anything else (precision, %o,
 * %h, %z, %n, non-printable characters, more conversions than arguments)
 * makes the call fail with -EINVAL and print nothing. Strings and
 * addresses are read fault-safely: an unreadable one prints as "" (or a
 * zero address), as in the kernel.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/helpers_internal.h"

enum {
	PRINT_BUF = 1024,          /* MAX_BPRINTF_BUF: one message */
	PRINT_STR_MAX = 512,       /* bytes of one %s argument looked at */
	PRINTK_ARGS = 3,           /* MAX_TRACE_PRINTK_VARARGS */
	BPRINTF_ARGS = 12,         /* MAX_BPRINTF_VARARGS */
	CONST_STR_MAX = 4096,      /* how far bpf_snprintf looks for its format's NUL */
};

/* ---- the sink --------------------------------------------------------------------- */

static nyk_print_fn sink_fn;
static void *sink_user;
static FILE *sink_file;

void nyk_set_print_fn(nyk_print_fn fn, void *user)
{
	sink_fn = fn;
	sink_user = user;
}

void nyk_set_print_file(FILE *file)
{
	sink_fn = NULL;
	sink_user = NULL;
	sink_file = file;
}

/* One message, one write: a line on the file, or one call of the function. */
static void emit(const char *msg, size_t len)
{
	char line[PRINT_BUF + 1];
	FILE *f = sink_file ? sink_file : stderr;

	if (sink_fn) {
		sink_fn(sink_user, msg, len);
		return;
	}
	memcpy(line, msg, len);
	if (!len || msg[len - 1] != '\n')
		line[len++] = '\n';
	fwrite(line, 1, len, f);
	fflush(f);
}

/* ---- the formatter ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t size;     /* capacity, the NUL included (0: measure only) */
	size_t len;      /* length so far, truncated or not */
};

static void out_vadd(struct out *o, const char *fmt, va_list ap)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	char dummy[1];
	int n = vsnprintf(room ? o->buf + o->len : dummy, room ? room : sizeof(dummy), fmt, ap);

	if (n > 0)
		o->len += (size_t)n;
}

static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vadd(o, fmt, ap);
	va_end(ap);
}

static int is_print_or_space(int c)
{
	return c < 128 && (isprint(c) || isspace(c));
}

/* The character after a %s-like conversion must end it: NUL, space or punctuation. */
static int ends_conversion(int c)
{
	return c == 0 || isspace(c) || ispunct(c);
}

/* Read the string at `addr` for %s: "" when unreadable. */
static void read_str(struct nyk_exec *exec, uint64_t addr, char *buf)
{
	if (helper_safe_copy_str(exec, buf, addr, PRINT_STR_MAX) < 0)
		buf[0] = '\0';
}

static void add_ip(struct nyk_exec *exec, struct out *o, uint64_t addr, int v6, int lower, const char *spec)
{
	uint8_t ip[16];
	char text[48];
	size_t n = v6 ? 16 : 4, t = 0;

	if (helper_safe_copy(exec, ip, addr, n) != n)
		memset(ip, 0, sizeof(ip));
	if (!v6) {
		snprintf(text, sizeof(text), lower ? "%03u.%03u.%03u.%03u" : "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
	} else {
		/* %pI6: eight groups of four hex digits with colons; %pi6: 32 hex digits. */
		for (size_t i = 0; i < 16; i += 2)
			t += (size_t)snprintf(text + t, sizeof(text) - t, "%s%02x%02x", !lower && i ? ":" : "", ip[i],
					      ip[i + 1]);
	}
	out_add(o, spec, text);
}

long helper_format(struct nyk_exec *exec, char *outbuf, size_t out_size, const char *fmt, size_t fmt_size,
		   const uint64_t *args, size_t nargs)
{
	struct out o = { outbuf, out_size, 0 };
	const char *end = memchr(fmt, 0, fmt_size);
	size_t argi = 0;

	if (!end)
		return -EINVAL;
	if (out_size)
		outbuf[0] = '\0';
	for (const char *p = fmt; p < end; p++)
		if (!is_print_or_space((unsigned char)*p))
			return -EINVAL;

	for (const char *p = fmt; p < end;) {
		char spec[32];
		size_t sl = 0;
		uint64_t arg;
		const char *lit = p;

		while (p < end && *p != '%')
			p++;
		if (p > lit)
			out_add(&o, "%.*s", (int)(p - lit), lit);
		if (p >= end)
			break;
		if (p[1] == '%') {
			out_add(&o, "%%");
			p += 2;
			continue;
		}
		if (argi >= nargs)
			return -EINVAL;
		arg = args[argi++];
		spec[sl++] = '%';
		p++;
		while (*p == '0' || *p == '+' || *p == '-' || *p == ' ') {
			if (sl < 8)
				spec[sl++] = *p;
			p++;
		}
		if (*p >= '1' && *p <= '9') {
			size_t w = 0;
			while (*p >= '0' && *p <= '9') {
				w = w < PRINT_BUF ? w * 10 + (size_t)(*p - '0') : w;
				p++;
			}
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, "%zu", w < PRINT_BUF ? w : PRINT_BUF);
		}

		if (*p == 'p') {
			if ((p[1] == 'k' || p[1] == 'u') && p[2] == 's') {
				char s[PRINT_STR_MAX];
				p += 2;
				if (!ends_conversion((unsigned char)p[1]))
					return -EINVAL;
				read_str(exec, arg, s);
				memcpy(spec + sl, "s", 2);
				out_add(&o, spec, s);
				p++;
				continue;
			}
			if (p[1] == 0 || isspace((unsigned char)p[1]) || ispunct((unsigned char)p[1]) || p[1] == 'K' ||
			    p[1] == 'x' || p[1] == 's' || p[1] == 'S' || p[1] == 'B') {
				char hex[24];
				if (p[1] && isalpha((unsigned char)p[1]))
					p++;
				snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)arg);
				memcpy(spec + sl, "s", 2);
				out_add(&o, spec, hex);
				p++;
				continue;
			}
			if ((p[1] == 'i' || p[1] == 'I') && (p[2] == '4' || p[2] == '6')) {
				memcpy(spec + sl, "s", 2);
				add_ip(exec, &o, arg, p[2] == '6', p[1] == 'i', spec);
				p += 3;
				continue;
			}
			return -EINVAL;
		}
		if (*p == 's') {
			char s[PRINT_STR_MAX];
			if (!ends_conversion((unsigned char)p[1]))
				return -EINVAL;
			read_str(exec, arg, s);
			memcpy(spec + sl, "s", 2);
			out_add(&o, spec, s);
			p++;
			continue;
		}
		if (*p == 'c') {
			memcpy(spec + sl, "c", 2);
			out_add(&o, spec, (int)(unsigned char)arg);
			p++;
			continue;
		}
		{
			int longs = 0;
			char conv;
			while (*p == 'l' && longs < 2) {
				longs++;
				p++;
			}
			conv = *p;
			if (conv != 'i' && conv != 'd' && conv != 'u' && conv != 'x' && conv != 'X')
				return -EINVAL;
			p++;
			if (longs) {
				spec[sl++] = 'l';
				spec[sl++] = 'l';
				spec[sl++] = conv;
				spec[sl] = '\0';
				if (conv == 'd' || conv == 'i')
					out_add(&o, spec, (long long)arg);
				else
					out_add(&o, spec, (unsigned long long)arg);
			} else {
				spec[sl++] = conv;
				spec[sl] = '\0';
				if (conv == 'd' || conv == 'i')
					out_add(&o, spec, (int)(int32_t)(uint32_t)arg);
				else
					out_add(&o, spec, (unsigned)(uint32_t)arg);
			}
		}
	}
	return (long)o.len;
}

/* ---- the helpers ------------------------------------------------------------------------ */

static long print_message(struct nyk_exec *exec, uint64_t fmt, uint64_t fmt_size, const uint64_t *args,
			  size_t nargs)
{
	char buf[PRINT_BUF];
	long n;

	if (!fmt_size || !helper_mem_ok(exec, fmt, fmt_size, NYK_MEM_READ))
		return -EFAULT;
	n = helper_format(exec, buf, sizeof(buf), helper_ptr(fmt), (size_t)fmt_size, args, nargs);
	if (n >= 0)
		emit(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

/* bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the message's length, or -EINVAL. */
HELPER(trace_printk)
{
	const uint64_t args[PRINTK_ARGS] = { r3, r4, r5 };
	return (uint64_t)(int64_t)print_message(exec, r1, (uint32_t)r2, args, PRINTK_ARGS);
}

/* Arguments of the vprintk/snprintf form: data_len bytes of u64 at data. */
static int read_args(struct nyk_exec *exec, uint64_t data, uint64_t len, uint64_t *args, size_t *nargs)
{
	len = (uint32_t)len;
	if (len % 8 || len > BPRINTF_ARGS * 8 || (len && !data))
		return -EINVAL;
	if (len && !helper_mem_ok(exec, data, len, NYK_MEM_READ))
		return -EFAULT;
	if (len)
		memcpy(args, helper_ptr(data), len);
	*nargs = len / 8;
	return 0;
}

/* bpf_trace_vprintk(fmt, fmt_size, data, data_len): what bpf_printk with more than 3 arguments calls. */
HELPER(trace_vprintk)
{
	uint64_t args[BPRINTF_ARGS];
	size_t nargs;
	int rc = read_args(exec, r3, r4, args, &nargs);

	if (rc)
		return helper_err(-rc);
	return (uint64_t)(int64_t)print_message(exec, r1, (uint32_t)r2, args, nargs);
}

/* bpf_snprintf(str, str_size, fmt, data, data_len): bytes written with the NUL, or needed when too small. */
HELPER(snprintf)
{
	uint64_t args[BPRINTF_ARGS];
	size_t nargs, size = (uint32_t)r2, flen = 0;
	int rc = read_args(exec, r4, r5, args, &nargs);
	long n;

	if (rc)
		return helper_err(-rc);
	if (size && !helper_mem_ok(exec, r1, size, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	/* The format is a constant string: find its NUL in readable memory. */
	for (;; flen++) {
		if (flen == CONST_STR_MAX || !helper_mem_ok(exec, r3 + flen, 1, NYK_MEM_READ))
			return helper_err(EINVAL);
		if (((const char *)helper_ptr(r3))[flen] == '\0')
			break;
	}
	/* Validate first: an invalid format writes nothing. */
	n = helper_format(exec, NULL, 0, helper_ptr(r3), flen + 1, args, nargs);
	if (n < 0)
		return helper_err(-(int)n);
	if (size)
		n = helper_format(exec, helper_ptr(r1), size, helper_ptr(r3), flen + 1, args, nargs);
	return (uint64_t)n + 1;
}
