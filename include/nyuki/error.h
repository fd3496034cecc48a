/*
 * nyuki/error.h - how the library reports what went wrong.
 *
 * The library never prints. A function that can fail takes an optional
 * `struct nyk_error *` as its last argument and returns 0 on success or a
 * negative errno-style code. On failure it fills the error with the place
 * (source file, line and column for text input; instruction index for
 * bytecode) and a message in words. The caller decides what to print; the
 * CLI prints nyk_error_format()'s result.
 */
#ifndef NYUKI_ERROR_H
#define NYUKI_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NYK_ERROR_MSG_MAX 256
#define NYK_ERROR_FILE_MAX 128

struct nyk_error {
	int code;                         /* negative errno, 0 when no error */
	char file[NYK_ERROR_FILE_MAX];    /* input file name, "" if unknown */
	int line;                         /* 1-based source line, 0 if n/a */
	int column;                       /* 1-based source column, 0 if n/a */
	long insn;                        /* instruction index, -1 if n/a */
	char message[NYK_ERROR_MSG_MAX];  /* what and why, no trailing newline */
};

/* Reset an error to "no error" (code 0, insn -1, empty strings). */
void nyk_error_clear(struct nyk_error *err);

/*
 * Fill `err` (if not NULL) with code and a printf-style message; keeps any
 * place already set. Returns `code` so callers can `return nyk_error_set(...)`.
 */
int nyk_error_set(struct nyk_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Record the input file name (truncated to fit) for later messages. */
void nyk_error_set_file(struct nyk_error *err, const char *file);

/*
 * Format as "file:line:col: message", "file: insn N: message" or
 * "message", whichever parts are known. Returns `buf`.
 */
const char *nyk_error_format(const struct nyk_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
