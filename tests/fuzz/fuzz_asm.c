/*
 * fuzz_asm.c - nyk_asm on arbitrary text. Whatever the input, assembling
 * must end in instructions or in an error that names a line; instructions
 * must survive disassembly (both syntaxes, with and without labels, index
 * and bytes) and assembly again unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct nyk_insn *insns, size_t count, enum nyk_syntax syntax, unsigned flags)
{
	struct nyk_insn *back = NULL;
	size_t n = 0;
	char *text = nyk_disasm(insns, count, syntax, flags, NULL);

	if (!text)
		abort();
	if (nyk_asm(text, strlen(text), "disasm", &back, &n, NULL) != 0 || n != count ||
	    (count && memcmp(back, insns, count * sizeof(*insns)) != 0))
		abort();
	free(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = { 0, NYK_DISASM_LABELS | NYK_DISASM_INDEX | NYK_DISASM_BYTES };
	struct nyk_insn *insns = NULL;
	size_t count = 0;
	struct nyk_error err;

	if (nyk_asm((const char *)data, size, "fuzz.s", &insns, &count, &err) != 0) {
		if (!err.message[0] || err.line < 1 || err.column < 0 || insns || count)
			abort();
		return 0;
	}
	for (unsigned s = 0; s < 2; s++)
		for (unsigned f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			round_trip(insns, count, (enum nyk_syntax)s, flags[f]);
	free(insns);
	return 0;
}
