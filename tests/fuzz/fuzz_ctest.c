/*
 * fuzz_ctest.c - libFuzzer harness for the conformance test file parser.
 *
 * Any input must either parse into a consistent test or fail with an error
 * that names the file; never crash, leak or read outside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/conformance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nyk_ctest t;
	struct nyk_error err;
	/* A copy of exactly `size` bytes, so reads past the end are caught. */
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	nyk_error_clear(&err);
	if (nyk_ctest_parse(text, size, "fuzz.data", &t, &err) == 0) {
		/* Exactly one program; an expectation; consistent sizes. */
		if (!t.asm_text == !t.raw)
			abort();
		if (t.raw && t.raw_count == 0)
			abort();
		if (!t.mem != !t.mem_len)
			abort();
		if (t.expect_error && !t.error_text)
			abort();
		if (t.asm_text)
			(void)strlen(t.asm_text);
		if (t.error_text)
			(void)strlen(t.error_text);
		if (t.mem_len)
			(void)t.mem[t.mem_len - 1];
		if (t.raw_count)
			(void)t.raw[t.raw_count - 1].opcode;
		nyk_ctest_free(&t);
	} else {
		if (err.code >= 0 || strcmp(err.file, "fuzz.data") != 0 || !err.message[0])
			abort();
		if (t.asm_text || t.raw || t.mem || t.error_text)
			abort();
	}
	free(text);
	return 0;
}
