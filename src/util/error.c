/*
 * error.c - filling and formatting struct nyk_error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nyuki/error.h"

void nyk_error_clear(struct nyk_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->insn = -1;
}

int nyk_error_set(struct nyk_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void nyk_error_set_file(struct nyk_error *err, const char *file)
{
	if (err)
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

const char *nyk_error_format(const struct nyk_error *err, char *buf, size_t size)
{
	const char *file = err->file[0] ? err->file : NULL;

	if (file && err->line > 0 && err->column > 0)
		snprintf(buf, size, "%s:%d:%d: %s", file, err->line, err->column, err->message);
	else if (file && err->line > 0)
		snprintf(buf, size, "%s:%d: %s", file, err->line, err->message);
	else if (file && err->insn >= 0)
		snprintf(buf, size, "%s: insn %ld: %s", file, err->insn, err->message);
	else if (file)
		snprintf(buf, size, "%s: %s", file, err->message);
	else if (err->insn >= 0)
		snprintf(buf, size, "insn %ld: %s", err->insn, err->message);
	else
		snprintf(buf, size, "%s", err->message);
	return buf;
}
