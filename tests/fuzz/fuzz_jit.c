/*
 * fuzz_jit.c - fuzzed bytecode through the validator, the interpreter and
 * the JIT (checked mode, small budget), whose results must agree: r0,
 * memory, and faults with their instruction and message (tests/difftest's
 * comparison). Programs that use r10 as a value (their results depend on
 * where the stack is) run on both without being compared.
 *
 * Input layout: byte 0 gives the memory length (0..64), then that many
 * memory bytes, then the program as raw 8-byte instruction slots.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../difftest/gen.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_SLOTS = 512, BUDGET = 4096 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nyk_insn insns[MAX_SLOTS];
	uint8_t mem[DT_MEM];
	size_t mem_len, n;
	char why[600];

	if (size < 1)
		return 0;
	mem_len = data[0] % 65;
	data++;
	size--;
	if (mem_len > size)
		mem_len = size;
	memcpy(mem, data, mem_len);
	data += mem_len;
	size -= mem_len;
	n = size / sizeof(struct nyk_insn);
	if (n == 0 || n > MAX_SLOTS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = data + 8 * i;
		insns[i].opcode = b[0];
		insns[i].regs = b[1];
		insns[i].off = (int16_t)(b[2] | b[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
	}
	if (!dt_compare(insns, n, mem, mem_len, BUDGET, 0, why, sizeof(why)) && !dt_uses_fp_value(insns, n)) {
		fprintf(stderr, "interpreter and JIT differ: %s\n", why);
		abort();
	}
	return 0;
}
