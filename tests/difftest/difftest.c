/*
 * difftest.c - the long differential run: random programs (gen.c) through
 * the interpreter and the JIT, compared. `make difftest` runs it.
 *
 * Usage: nyuki-difftest [COUNT [FIRST_SEED]]   (default 20000 programs, seed 1)
 * On a difference prints the seed, the reason and the program (conformance
 * syntax), and exits 1. Ends with "difftest: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nyuki/asm.h"
#include "gen.h"

static void dump(const struct dt_prog *p)
{
	char text[160];

	for (size_t pc = 0; pc < p->n;) {
		int slots = nyk_disasm_insn(p->insn, p->n, pc, NYK_SYNTAX_C, text, sizeof(text));
		printf("  %5zu: %s\n", pc, slots > 0 ? text : "?");
		pc += slots > 0 ? (size_t)slots : 1;
	}
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	unsigned long first = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	static struct dt_prog p;
	unsigned long passed = 0, failed = 0;
	int tty = isatty(1);
	char why[600];

	if (!nyk_vm_jit_available())
		printf("no JIT in this build: comparing the interpreter's flavours only\n");
	for (unsigned long i = 0; i < count; i++) {
		unsigned long seed = first + i;
		dt_generate(&p, seed, 1 + (int)(seed % 4));
		if (dt_compare(p.insn, p.n, p.mem, DT_MEM, p.budget, DT_ALL, why, sizeof(why)) &&
		    strncmp(why, "refused", 7) != 0) {
			passed++;
		} else {
			failed++;
			printf("FAIL seed %lu (%zu insns, budget %llu): %s\n", seed, p.n, (unsigned long long)p.budget, why);
			if (failed <= 3)
				dump(&p);
		}
		if (tty && i % 500 == 0) {
			printf("\r%lu/%lu programs", i, count);
			fflush(stdout);
		}
	}
	if (tty)
		printf("\r");
	printf("difftest: %lu passed, %lu failed\n", passed, failed);
	return failed ? 1 : 0;
}
