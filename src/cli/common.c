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

int cli_not_both(bool a, const char *a_name, bool b, const char *b_name)
{
	return a && b ? cli_usage_error("give either %s or %s, not both", a_name, b_name) : EXIT_OK;
}

int cli_check_executor(bool jit, bool interp)
{
	int rc = cli_not_both(jit, "--jit", interp, "--interp");

	if (!rc && jit && !nyk_vm_jit_available())
		rc = cli_error("--jit: this build has no JIT for this machine (x86-64 only); use --interp");
	return rc;
}

void cli_error_default_file(struct nyk_error *err, const char *file)
{
	if (!err->file[0])
		nyk_error_set_file(err, file);
}

int cli_lib_error_in(struct nyk_error *err, const char *file)
{
	cli_error_default_file(err, file);
	return cli_lib_error(err);
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
		return cli_lib_error_in(&err, path);
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

int cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno || !*s || *end || *s == '-') ? -1 : 0;
}

/* The table entry `arg` spells, or NULL. */
static const struct cli_opt *find_opt(const struct cli_walk *w, const char *arg)
{
	for (const struct cli_opt *const *t = w->tables; *t; t++)
		for (const struct cli_opt *o = *t; o->name; o++) {
			if (w->is ? w->is(arg, o->name) : !strcmp(arg, o->name))
				return o;
			if (o->alias && !strcmp(arg, o->alias))
				return o;
		}
	return NULL;
}

/* Store `v` in the unsigned field of `size` bytes at `field`. */
static void store_unsigned(void *field, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1: memcpy(field, &u8, 1); break;
	case 2: memcpy(field, &u16, 2); break;
	case 4: memcpy(field, &u32, 4); break;
	default: memcpy(field, &v, sizeof(v)); break;
	}
}

/* Apply option `o` written as `arg`, with `value` (NULL for flags). */
static int apply_opt(const struct cli_walk *w, const struct cli_opt *o, const char *arg, const char *value)
{
	char *field = (char *)w->args + o->offset;
	uint64_t v;

	switch (o->kind) {
	case CLI_OPT_SET:
	case CLI_OPT_CLEAR:
		*(bool *)field = o->kind == CLI_OPT_SET;
		break;
	case CLI_OPT_STRING:
		*(const char **)field = value;
		break;
	case CLI_OPT_NUMBER:
		if (cli_parse_u64(value, &v) || v < o->min || v > o->max)
			return cli_usage_error("%s takes %s, not '%s'", arg, o->takes, value);
		store_unsigned(field, o->size, v);
		break;
	}
	return EXIT_OK;
}

int cli_walk_args(const struct cli_walk *w, int argc, char **argv)
{
	size_t npos = sizeof(w->positional) / sizeof(w->positional[0]);

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct cli_opt *o;
		size_t p;
		int rc;

		if (w->other && (rc = w->other(w->args, argc, argv, &i))) {
			if (rc < 0)
				return -rc;
			continue;
		}
		if ((o = find_opt(w, arg))) {
			bool valued = o->kind == CLI_OPT_STRING || o->kind == CLI_OPT_NUMBER;
			if (valued && i + 1 >= argc)
				return cli_usage_error("'%s' needs a value", arg);
			if ((rc = apply_opt(w, o, arg, valued ? argv[++i] : NULL)))
				return rc;
			continue;
		}
		if (arg[0] == '-' && arg[1])
			return cli_usage_error("unknown or incomplete option '%s' for '%s'", arg, w->cmd);
		for (p = 0; p < npos && w->positional[p] && *w->positional[p]; p++)
			;
		if (p == npos || !w->positional[p])
			return cli_usage_error("unexpected argument '%s' for '%s'", arg, w->cmd);
		*w->positional[p] = arg;
	}
	return EXIT_OK;
}
