/*
 * fuzz_disasm.c - the disassembler on arbitrary bytes. Every 8 bytes are a
 * slot; whatever they hold, the text must assemble back to the same slots
 * (invalid ones print as `.insn`), in both syntaxes and with every flag,
 * and nyk_disasm_insn must stay inside buffers of any size.
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
	struct nyk_error err;
	char *text = nyk_disasm(insns, count, syntax, flags, NULL);

	if (!text)
		abort();
	if (nyk_asm(text, strlen(text), "disasm", &back, &n, &err) != 0 || n != count ||
	    (count && memcmp(back, insns, count * sizeof(*insns)) != 0))
		abort();
	free(back);
	free(text);
}

/* nyk_disasm_insn into a buffer of `cap` bytes: NUL-terminated, nothing written past it. */
static void small_buffers(const struct nyk_insn *insns, size_t count, size_t cap)
{
	char buf[80];

	for (size_t pc = 0; pc < count; pc++) {
		memset(buf, 'x', sizeof(buf));
		nyk_disasm_insn(insns, count, pc, (enum nyk_syntax)(pc & 1), buf, cap);
		if (cap && (strnlen(buf, cap) >= cap))
			abort();
		for (size_t i = cap; i < sizeof(buf); i++)
			if (buf[i] != 'x')
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = { 0, NYK_DISASM_LABELS | NYK_DISASM_INDEX | NYK_DISASM_BYTES };
	size_t count = size / 8;
	struct nyk_insn *insns = malloc(count ? count * sizeof(*insns) : 1);

	if (!insns)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const uint8_t *b = data + i * 8;
		insns[i].opcode = b[0];
		insns[i].regs = b[1];
		insns[i].off = (int16_t)(uint16_t)(b[2] | b[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
					 (uint32_t)b[7] << 24);
	}
	for (unsigned s = 0; s < 2; s++)
		for (unsigned f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			round_trip(insns, count, (enum nyk_syntax)s, flags[f]);
	small_buffers(insns, count, size % 64);
	free(insns);
	return 0;
}
