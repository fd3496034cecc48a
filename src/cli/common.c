/*
 * common.c - argument dispatch, errors and file input shared by commands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

bool cli_is_prefix(const char *arg, const char *word)
{
	size_t n = strlen(arg);
	return n > 0 && strncmp(arg, word, n) == 0;
}

int cli_dispatch(const struct cli_cmd *cmds, int argc, char **argv, const char *what, int (*help)(int, char **))
{
	const struct cli_cmd *found = NULL;

	if (argc < 1) {
		if (help)
			help(0, NULL);
		return EXIT_USAGE;
	}
	for (const struct cli_cmd *c = cmds; c->name; c++) {
		if (strcmp(argv[0], c->name) == 0) {
			found = c;
			break;
		}
		if (cli_is_prefix(argv[0], c->name)) {
			if (found)
				return cli_usage_error("%s '%s' is ambiguous (%s or %s?)", what, argv[0], found->name,
						       c->name);
			found = c;
		}
	}
	if (!found) {
		int rc = cli_usage_error("unknown %s '%s'", what, argv[0]);
		if (help && !cli.json)
			help(0, NULL);
		return rc;
	}
	return found->fn(argc - 1, argv + 1);
}

static int verror(int code, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cli.json) {
		json_begin_object();
		json_key("error");
		json_string(msg);
		json_end_object();
		json_finish();
	} else {
		fprintf(stderr, "Error: %s\n", msg);
	}
	return code;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(EXIT_FAIL, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(EXIT_USAGE, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_lib_error(const struct nyk_error *err)
{
	char buf[NYK_ERROR_MSG_MAX + NYK_ERROR_FILE_MAX + 64];
	return cli_error("%s", nyk_error_format(err, buf, sizeof(buf)));
}

int cli_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f)
		return cli_error("cannot open '%s': %s", path, strerror(errno));
	buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *bigger = realloc(buf, cap * 2 + 1);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		return cli_error("cannot read '%s': %s", path, strerror(errno ? errno : ENOMEM));
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return EXIT_OK;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int ok;

	if (!f)
		return cli_error("cannot create '%s': %s", path, strerror(errno));
	ok = fwrite(data, 1, len, f) == len;
	if (f != stdout)
		ok = (fclose(f) == 0) && ok;
	else
		ok = (fflush(f) == 0) && ok;
	if (!ok)
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	return EXIT_OK;
}

/* Raw bytecode: a multiple of 8 bytes that is not plain text. */
static bool looks_binary(const char *data, size_t len)
{
	if (len == 0 || len % 8)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c >= 0x7f)
			return true;
	}
	return false;
}

int cli_load_program(const char *path, const char *func, struct nyk_insn **insns, size_t *count)
{
	struct nyk_error err;
	char *data;
	size_t len;
	int rc;

	if ((rc = cli_read_file(path, &data, &len)))
		return rc;
	nyk_error_clear(&err);
	nyk_error_set_file(&err, path);
	if (nyk_elf_is_elf(data, len)) {
		rc = nyk_elf_read_code(data, len, func, insns, count, &err);
	} else if (looks_binary(data, len)) {
		*count = len / 8;
		*insns = malloc(len);
		rc = *insns ? 0 : -ENOMEM;
		if (*insns)
			memcpy(*insns, data, len);
		else
			nyk_error_set(&err, rc, "out of memory");
	} else {
		rc = nyk_asm(data, len, path, insns, count, &err);
	}
	free(data);
	if (rc < 0) {
		if (!err.file[0])
			nyk_error_set_file(&err, path);
		return cli_lib_error(&err);
	}
	return EXIT_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int cli_parse_hex(const char *text, uint8_t **out, size_t *len)
{
	size_t n = 0, cap = strlen(text) / 2 + 1;
	uint8_t *buf = malloc(cap);
	int hi = -1;

	if (!buf)
		return -1;
	for (const char *p = text; *p; p++) {
		int v;
		if (isspace((unsigned char)*p) || *p == ',' || *p == ':') {
			if (hi >= 0)
				goto bad;   /* odd digit count inside a byte */
			continue;
		}
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hi < 0) {
			p++;
			continue;
		}
		if ((v = hexval((unsigned char)*p)) < 0)
			goto bad;
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		goto bad;
	*out = buf;
	*len = n;
	return 0;
bad:
	free(buf);
	return -1;
}
