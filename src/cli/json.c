/*
 * json.c - a small streaming JSON writer for -j/--json output.
 */
#include <inttypes.h>

#include "cli/cli.h"

#define MAX_DEPTH 64

static int depth;
static bool first[MAX_DEPTH];   /* no element written yet at this depth */
static bool after_key;

static void newline_indent(void)
{
	if (!cli.pretty)
		return;
	putchar('\n');
	for (int i = 0; i < depth; i++)
		fputs("    ", stdout);
}

/* Separator and indentation before a value or key. */
static void before_item(void)
{
	if (after_key) {
		after_key = false;
		return;
	}
	if (depth > 0) {
		if (!first[depth])
			putchar(',');
		first[depth] = false;
		newline_indent();
	}
}

static void open(char c)
{
	before_item();
	putchar(c);
	if (depth < MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close(char c)
{
	bool empty = first[depth];
	if (depth > 0)
		depth--;
	if (!empty)
		newline_indent();
	putchar(c);
}

void json_begin_object(void) { open('{'); }
void json_end_object(void) { close('}'); }
void json_begin_array(void) { open('['); }
void json_end_array(void) { close(']'); }

static void write_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		default:
			if (*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

void json_key(const char *key)
{
	before_item();
	write_string(key);
	fputs(cli.pretty ? ": " : ":", stdout);
	after_key = true;
}

void json_string(const char *s) { before_item(); write_string(s ? s : ""); }
void json_u64(uint64_t v) { before_item(); printf("%" PRIu64, v); }
void json_i64(int64_t v) { before_item(); printf("%" PRId64, v); }
void json_bool(bool v) { before_item(); fputs(v ? "true" : "false", stdout); }
void json_null(void) { before_item(); fputs("null", stdout); }
void json_finish(void) { putchar('\n'); fflush(stdout); }
