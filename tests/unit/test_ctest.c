/*
 * test_ctest.c - the conformance test file parser (nyk_ctest_parse) and,
 * where the kernel may be used, the kernel executor's verifier-log reader.
 */
#include <errno.h>
#include <stdlib.h>

#include "nyuki/conformance.h"
#ifdef NYK_HAVE_KERNEL
#include "nyuki/kernel.h"
#endif
#include "test.h"

/* Parse `text`; returns the rc and leaves the result in *t and *err. */
static int parse(const char *text, struct nyk_ctest *t, struct nyk_error *err)
{
	nyk_error_clear(err);
	return nyk_ctest_parse(text, strlen(text), "t.data", t, err);
}

TEST(ctest_asm_result_mem)
{
	struct nyk_ctest t;
	struct nyk_error err;
	const char *text =
		"# Copyright line\n"
		"# another comment\n"
		"-- asm\n"
		"mov %r0, 1   # trailing comment stays for the assembler\n"
		"\n"
		"exit\n"
		"-- result\n"
		"0x1\n"
		"-- mem\n"
		"00 01 02\n"
		"ff FE 0x7f\n";

	CHECK_EQ(parse(text, &t, &err), 0);
	CHECK(t.asm_text != NULL);
	CHECK_STR(t.asm_text, "mov %r0, 1   # trailing comment stays for the assembler\n\nexit\n");
	CHECK_EQ(t.asm_line, 4);
	CHECK(t.raw == NULL);
	CHECK_EQ(t.result, 1);
	CHECK_EQ(t.expect_error, 0);
	CHECK(t.error_text == NULL);
	CHECK_EQ(t.mem_len, 6);
	CHECK_EQ(t.mem[0], 0x00);
	CHECK_EQ(t.mem[2], 0x02);
	CHECK_EQ(t.mem[3], 0xff);
	CHECK_EQ(t.mem[4], 0xfe);
	CHECK_EQ(t.mem[5], 0x7f);
	nyk_ctest_free(&t);
	CHECK(t.asm_text == NULL && t.mem == NULL);
}

TEST(ctest_result_forms)
{
	static const struct {
		const char *value;
		uint64_t want;
	} cases[] = {
		{ "0x1", 1 },
		{ "0X0000000000000001", 1 },
		{ "42", 42 },
		{ "0", 0 },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "18446744073709551615", UINT64_MAX },
		{ "-1", UINT64_MAX },
		{ "-0x2", (uint64_t)-2 },
		{ "  0x10  # comment", 16 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		struct nyk_ctest t;
		struct nyk_error err;
		snprintf(text, sizeof(text), "-- asm\nexit\n-- result\n%s\n", cases[i].value);
		CHECK_MSG(parse(text, &t, &err) == 0, "'%s': %s", cases[i].value, err.message);
		CHECK_MSG(t.result == cases[i].want, "'%s' gave 0x%" PRIx64, cases[i].value, t.result);
		nyk_ctest_free(&t);
	}
}

TEST(ctest_raw_words)
{
	struct nyk_ctest t;
	struct nyk_error err;
	/* mov r1, 7 ; ldxw r0, [r1-8] ; exit */
	const char *text =
		"-- raw\n"
		"0x00000007000001b7\n"
		"# a comment line\n"
		"0x00000000fff81061 0x0000000000000095\n"
		"-- result\n"
		"0x0\n";

	CHECK_EQ(parse(text, &t, &err), 0);
	CHECK(t.asm_text == NULL);
	CHECK_EQ(t.raw_count, 3);
	CHECK_EQ(t.raw[0].opcode, 0xb7);
	CHECK_EQ(nyk_insn_dst(&t.raw[0]), 1);
	CHECK_EQ(t.raw[0].imm, 7);
	CHECK_EQ(t.raw[1].opcode, 0x61);
	CHECK_EQ(nyk_insn_dst(&t.raw[1]), 0);
	CHECK_EQ(nyk_insn_src(&t.raw[1]), 1);
	CHECK_EQ((int64_t)t.raw[1].off, -8);
	CHECK_EQ(t.raw[2].opcode, 0x95);
	nyk_ctest_free(&t);

	/* All-ones word: every field at its extreme. */
	CHECK_EQ(parse("-- raw\n0xffffffffffffffff\n-- error\n", &t, &err), 0);
	CHECK_EQ(t.raw[0].opcode, 0xff);
	CHECK_EQ(t.raw[0].regs, 0xff);
	CHECK_EQ((int64_t)t.raw[0].off, -1);
	CHECK_EQ((int64_t)t.raw[0].imm, -1);
	nyk_ctest_free(&t);
}

TEST(ctest_error_sections)
{
	struct nyk_ctest t;
	struct nyk_error err;

	CHECK_EQ(parse("-- asm\nexit\n-- error\n", &t, &err), 0);
	CHECK_EQ(t.expect_error, 1);
	CHECK_STR(t.error_text, "");
	nyk_ctest_free(&t);

	CHECK_EQ(parse("-- raw\n0x95\n-- error\n  Failed to load code: bad  \n\n", &t, &err), 0);
	CHECK_EQ(t.expect_error, 1);
	CHECK_STR(t.error_text, "Failed to load code: bad");
	nyk_ctest_free(&t);

	/* uBPF's "-- error pattern"; an -- error with a -- result too. */
	CHECK_EQ(parse("-- asm\nexit\n-- error pattern\nout of bounds\n-- result\n0x0\n", &t, &err), 0);
	CHECK_EQ(t.expect_error, 1);
	CHECK_STR(t.error_text, "out of bounds");
	nyk_ctest_free(&t);
}

TEST(ctest_ignored_sections_and_crlf)
{
	struct nyk_ctest t;
	struct nyk_error err;
	const char *text =
		"-- asm\r\n"
		"mov %r0, 2\r\n"
		"exit\r\n"
		"-- result\r\n"
		"0x2\r\n"
		"-- no register offset\r\n"
		"call instruction\r\n"
		"-- c\r\n"
		"int f(void) { return 2; }\r\n"
		"-- map\r\n"
		"array_map 2 4 4 10\r\n";

	CHECK_EQ(parse(text, &t, &err), 0);
	CHECK_STR(t.asm_text, "mov %r0, 2\nexit\n");
	CHECK_EQ(t.result, 2);
	CHECK(t.mem == NULL);
	nyk_ctest_free(&t);
}

/* The error's line, column and message for a bad file. */
static int parse_error(const char *text, int line, int column, const char *expect)
{
	struct nyk_ctest t;
	struct nyk_error err;
	int rc = parse(text, &t, &err);

	if (rc >= 0) {
		nyk_ctest_free(&t);
		printf("    accepted: %s\n", text);
		return 0;
	}
	if (t.asm_text || t.raw || t.mem || t.error_text) {
		printf("    fields left set after an error\n");
		return 0;
	}
	if (err.line != line || (column >= 0 && err.column != column) || !strstr(err.message, expect) ||
	    strcmp(err.file, "t.data") != 0) {
		printf("    got %s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		return 0;
	}
	return 1;
}

TEST(ctest_errors_name_the_place)
{
	CHECK(parse_error("-- asm\nexit\n-- result\n0x0\n-- mem\n00 zz\n", 6, 4, "expected hex byte, got 'zz'"));
	CHECK(parse_error("-- asm\nexit\n-- result\n0x0\n-- mem\n001\n", 6, 1, "expected hex byte, got '001'"));
	CHECK(parse_error("-- asm\nexit\n-- result\nbanana\n", 4, 1, "expected result value"));
	CHECK(parse_error("-- asm\nexit\n-- result\n0x1 0x2\n", 4, 5, "unexpected '0x2' after the result"));
	CHECK(parse_error("-- asm\nexit\n-- result\n0x10000000000000000\n", 4, 1, "does not fit in 64 bits"));
	CHECK(parse_error("-- asm\nexit\n-- result\n18446744073709551616\n", 4, 1, "does not fit in 64 bits"));
	CHECK(parse_error("-- asm\nexit\n-- result\n", 3, 0, "-- result has no value"));
	CHECK(parse_error("-- raw\n0x95 0xgg\n-- result\n0\n", 2, 6, "expected instruction word"));
	CHECK(parse_error("-- raw\n-- result\n0\n", 1, 0, "-- raw has no instruction words"));
	CHECK(parse_error("-- result\n0\n", 0, 0, "no program"));
	CHECK(parse_error("# only a comment\n", 0, 0, "no program"));
	CHECK(parse_error("", 0, 0, "no program"));
	CHECK(parse_error("-- asm\nexit\n", 0, 0, "neither -- result nor -- error"));
	CHECK(parse_error("-- asm\nexit\n-- raw\n0x95\n-- result\n0\n", 3, 0, "both -- asm and -- raw"));
	CHECK(parse_error("-- asm\nexit\n-- result\n0\n-- result\n1\n", 5, 0, "duplicate section '-- result'"));
	CHECK(parse_error("-- asm\nexit\n-- result\n0\n-- mem\n00 \xff\x01\n", 6, 4, "expected hex byte, got '?" "?'"));
}

TEST(ctest_nul_byte_is_refused)
{
	static const char text[] = "-- asm\nex\0it\n-- result\n0\n";
	struct nyk_ctest t;
	struct nyk_error err;

	nyk_error_clear(&err);
	CHECK_EQ(nyk_ctest_parse(text, sizeof(text) - 1, "t.data", &t, &err), -EINVAL);
	CHECK_EQ(err.line, 2);
	CHECK(strstr(err.message, "NUL") != NULL);
}

TEST(ctest_not_nul_terminated)
{
	/* The parser reads exactly `len` bytes: a buffer without a NUL. */
	const char *full = "-- asm\nexit\n-- result\n0x7";
	size_t len = strlen(full);
	char *text = malloc(len);
	struct nyk_ctest t;
	struct nyk_error err;

	CHECK(text != NULL);
	memcpy(text, full, len);
	nyk_error_clear(&err);
	CHECK_EQ(nyk_ctest_parse(text, len, "t.data", &t, &err), 0);
	CHECK_EQ(t.result, 7);
	nyk_ctest_free(&t);
	free(text);
}

TEST(ctest_long_token_is_quoted_short)
{
	char text[4096];
	struct nyk_ctest t;
	struct nyk_error err;

	strcpy(text, "-- asm\nexit\n-- result\n0\n-- mem\n");
	memset(text + strlen(text), 'q', 3000);
	text[sizeof(text) - 1] = '\0';
	text[strlen("-- asm\nexit\n-- result\n0\n-- mem\n") + 3000] = '\0';
	CHECK(parse(text, &t, &err) < 0);
	CHECK(strlen(err.message) < 80);
	CHECK(strstr(err.message, "...") != NULL);
}

TEST(ctest_free_twice_and_null)
{
	struct nyk_ctest t;
	struct nyk_error err;

	nyk_ctest_free(NULL);
	CHECK_EQ(parse("-- asm\nexit\n-- result\n0\n", &t, &err), 0);
	nyk_ctest_free(&t);
	nyk_ctest_free(&t);
}

#ifdef NYK_HAVE_KERNEL
TEST(kernel_log_reason)
{
	char buf[128];
	const char *log =
		"func#0 @0\n"
		"0: R1=ctx() R10=fp0\n"
		"0: (b7) r0 = 1                        ; R0_w=1\n"
		"1: (67) r0 <<= 33\n"
		"invalid shift 33\n"
		"processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";

	CHECK_STR(nyk_kernel_log_reason(log, buf, sizeof(buf)), "invalid shift 33");
	CHECK_STR(nyk_kernel_log_reason("unknown opcode 8d\nprocessed 0 insns\n", buf, sizeof(buf)),
		  "unknown opcode 8d");
	CHECK_STR(nyk_kernel_log_reason("0: (61) r0 = *(u32 *)(r1 +10)\n"
					"invalid access to map value, value_size=10 off=10 size=4\n"
					"R1 min value is outside of the allowed memory range\n"
					"processed 3 insns\n", buf, sizeof(buf)),
		  "invalid access to map value, value_size=10 off=10 size=4");
	CHECK_STR(nyk_kernel_log_reason("jump out of range from insn 1 to 9\n", buf, sizeof(buf)),
		  "jump out of range from insn 1 to 9");
	CHECK(nyk_kernel_log_reason("", buf, sizeof(buf)) == NULL);
	CHECK(nyk_kernel_log_reason("0: (95) exit\nprocessed 1 insns\n", buf, sizeof(buf)) == NULL);
	/* Truncated to the buffer. */
	CHECK_STR(nyk_kernel_log_reason("invalid shift 33\n", buf, 8), "invalid");
}
#endif

#ifdef NYK_HAVE_KERNEL
#define RAW(op, dst, src, off, imm) { (op), (uint8_t)((dst) | (src) << 4), (off), (imm) }

/* Run `p` on the kernel executor; 0 when the kernel cannot be used here. */
static int kernel_run(const struct nyk_insn *p, size_t n, void *mem, size_t mem_len, uint64_t *r0,
		      enum nyk_run_status *st, char *why, size_t why_size)
{
	struct nyk_executor ex = nyk_executor_kernel();
	char probe[128];

	if (nyk_kernel_available(probe, sizeof(probe)) < 0) {
		printf("    (kernel not usable here: %s)\n", probe);
		return 0;
	}
	*st = ex.run(ex.self, p, n, mem, mem_len, r0, why, why_size);
	return 1;
}

TEST(kernel_executor_full_r0_and_mem)
{
	/* r0 = *(u32 *)(r1 + 4) + r2; *(u8 *)(r1 + 0) = 0x55; r0 |= 0x1234567800000000 */
	static const struct nyk_insn p[] = {
		RAW(0x61, 0, 1, 4, 0),
		RAW(0x0f, 0, 2, 0, 0),
		RAW(0x72, 1, 0, 0, 0x55),
		RAW(0x18, 3, 0, 0, 0),
		RAW(0x00, 0, 0, 0, 0x12345678),
		RAW(0x4f, 0, 3, 0, 0),
		RAW(0x95, 0, 0, 0, 0),
	};
	uint8_t mem[8] = { 0, 1, 2, 3, 0x10, 0, 0, 0 };
	enum nyk_run_status st;
	uint64_t r0 = 0;
	char why[256];

	if (!kernel_run(p, sizeof(p) / sizeof(p[0]), mem, sizeof(mem), &r0, &st, why, sizeof(why)))
		return;
	CHECK_MSG(st == NYK_RUN_OK, "status %d: %s", (int)st, why);
	CHECK_EQ(r0, 0x1234567800000018ull);
	CHECK_EQ(mem[0], 0x55);   /* the map value is read back */
}

TEST(kernel_executor_no_mem_and_helper)
{
	/* r6 = r1 + r2 (both 0); call ktime_get_ns; r0 = (r0 != 0) + r6 */
	static const struct nyk_insn p[] = {
		RAW(0xbf, 6, 1, 0, 0),
		RAW(0x0f, 6, 2, 0, 0),
		RAW(0x85, 0, 0, 0, 5),
		RAW(0xbf, 1, 0, 0, 0),
		RAW(0xb7, 0, 0, 0, 0),
		RAW(0x15, 1, 0, 1, 0),
		RAW(0xb7, 0, 0, 0, 1),
		RAW(0x0f, 0, 6, 0, 0),
		RAW(0x95, 0, 0, 0, 0),
	};
	enum nyk_run_status st;
	uint64_t r0 = 0;
	char why[256];

	if (!kernel_run(p, sizeof(p) / sizeof(p[0]), NULL, 0, &r0, &st, why, sizeof(why)))
		return;
	CHECK_MSG(st == NYK_RUN_OK, "status %d: %s", (int)st, why);
	CHECK_EQ(r0, 1);
}

TEST(kernel_executor_refusal_reason)
{
	static const struct nyk_insn p[] = {
		RAW(0xb7, 0, 0, 0, 1),
		RAW(0x67, 0, 0, 0, 65),   /* lsh r0, 65 */
		RAW(0x95, 0, 0, 0, 0),
	};
	enum nyk_run_status st;
	uint64_t r0 = 0;
	char why[256];

	if (!kernel_run(p, sizeof(p) / sizeof(p[0]), NULL, 0, &r0, &st, why, sizeof(why)))
		return;
	CHECK_MSG(st == NYK_RUN_REFUSED, "status %d: %s", (int)st, why);
	CHECK_MSG(strstr(why, "invalid shift") != NULL, "why: %s", why);
}
#endif

#ifdef NYK_HAVE_KERNEL
#include "kernel/kernel_internal.h"

TEST(kernel_wrap_layout)
{
	/* 0: call local +2; 1: exit; 2: ja -4 (before the body); 3: exit (subprogram) ;
	   4: exit with dst set (reserved) -- not a valid program, only a layout check */
	static const struct nyk_insn body[] = {
		RAW(0x85, 0, 1, 0, 2),
		RAW(0x95, 0, 0, 0, 0),
		RAW(0x05, 0, 0, -4, 0),
		RAW(0x95, 0, 0, 0, 0),
		RAW(0x95, 1, 0, 0, 0),
	};
	struct kernel_wrap_opts o = { .mem_fd = 7, .mem_len = 3, .result_fd = 8, .packet = 0 };
	struct nyk_insn *p = NULL;
	size_t n = 0, base;

	CHECK_EQ(kernel_wrap(body, 5, &o, &p, &n), 0);
	/* prologue: lddw r1 (2), mov r2, ja = 4 slots; epilogue 5 slots */
	base = 9;
	CHECK_EQ(n, base + 5);
	CHECK_EQ(p[0].opcode, 0x18);
	CHECK_EQ(nyk_insn_src(&p[0]), NYK_PSEUDO_MAP_VALUE);
	CHECK_EQ(p[0].imm, 7);
	CHECK_EQ(p[2].opcode, 0xb7);
	CHECK_EQ(p[2].imm, 3);
	CHECK_EQ(p[3].opcode, 0x05);
	CHECK_EQ(3 + p[3].off + 1, base);        /* jumps over the epilogue */
	CHECK_EQ(p[4].imm, 8);                   /* epilogue: result map */
	CHECK_EQ(p[8].opcode, 0x95);
	CHECK_EQ(p[base + 0].imm, 2);            /* local call unchanged */
	CHECK_EQ(p[base + 1].opcode, 0x05);      /* main's exit: back to the epilogue */
	CHECK_EQ((long)(base + 1) + p[base + 1].off + 1, 4);
	CHECK((long)(base + 2) + p[base + 2].off + 1 < 0);   /* still before the program */
	CHECK_EQ(p[base + 3].opcode, 0x95);      /* the subprogram's exit stays */
	CHECK_EQ(p[base + 4].opcode, 0x95);
	free(p);

	o.mem_fd = -1;
	o.packet = 1;
	CHECK_EQ(kernel_wrap(body, 5, &o, &p, &n), 0);
	CHECK_EQ(p[0].opcode, 0xbf);             /* r6 = r1 */
	CHECK_EQ(p[0].regs, nyk_insn_regs(6, 1));
	CHECK_EQ(p[1].opcode, 0xb7);             /* r1 = 0 */
	free(p);
}
#endif
