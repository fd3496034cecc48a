/*
 * difftest.c - the long differential run: random programs (gen.c) through
 * the interpreter and the JIT, compared. `make difftest` runs it.
 *
 * Usage: nyuki-difftest [--kernel] [COUNT [FIRST_SEED]]   (default 20000 programs, seed 1)
 * On a difference prints the seed, the reason and the program (conformance
 * syntax), and exits 1. Ends with "difftest: N passed, N failed".
 *
 * --kernel: kernel-compatible programs (dt_generate_kernel) through the
 * checked interpreter and the Linux kernel (nyk_executor_kernel: the
 * verifier, then BPF_PROG_TEST_RUN); r0 and the memory (an array map value
 * in the kernel, read back after the run) are compared where the kernel
 * accepts the program. Refusals are counted with their commonest reasons,
 * not failed. Where bpf() is not permitted prints "SKIPPED: ..." and exits 0.
 * Ends with "difftest-kernel: N passed, N failed" (passed = compared).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nyuki/asm.h"
#ifdef NYK_HAVE_KERNEL
#include "nyuki/kernel.h"
#endif
#include "gen.h"

static int jit_main(unsigned long count, unsigned long first);

static void dump(const struct dt_prog *p)
{
	char text[160];

	for (size_t pc = 0; pc < p->n;) {
		int slots = nyk_disasm_insn(p->insn, p->n, pc, NYK_SYNTAX_C, text, sizeof(text));
		printf("  %5zu: %s\n", pc, slots > 0 ? text : "?");
		pc += slots > 0 ? (size_t)slots : 1;
	}
}

#ifdef NYK_HAVE_KERNEL

enum { MAX_REASONS = 64, REASON_LEN = 96 };

/* The kernel's refusals, by reason with its numbers blanked ("invalid shift N"). */
struct reasons {
	char text[MAX_REASONS][REASON_LEN];
	unsigned long count[MAX_REASONS];
	size_t n;
	unsigned long other;
};

static void reason_add(struct reasons *r, const char *why)
{
	char key[REASON_LEN];
	size_t o = 0;

	for (size_t i = 0; why[i] && o + 1 < sizeof(key); i++) {
		if (isdigit((unsigned char)why[i])) {
			while (isdigit((unsigned char)why[i + 1]))
				i++;
			key[o++] = 'N';
		} else {
			key[o++] = why[i];
		}
	}
	key[o] = '\0';
	for (size_t i = 0; i < r->n; i++) {
		if (!strcmp(r->text[i], key)) {
			r->count[i]++;
			return;
		}
	}
	if (r->n == MAX_REASONS) {
		r->other++;
		return;
	}
	memcpy(r->text[r->n], key, o + 1);
	r->count[r->n++] = 1;
}

static void reasons_print(struct reasons *r, unsigned shown)
{
	for (unsigned k = 0; k < shown; k++) {
		size_t best = r->n;
		for (size_t i = 0; i < r->n; i++)
			if (r->count[i] && (best == r->n || r->count[i] > r->count[best]))
				best = i;
		if (best == r->n)
			break;
		printf("  %6lu  %s\n", r->count[best], r->text[best]);
		r->count[best] = 0;
	}
	if (r->other)
		printf("  %6lu  (other reasons)\n", r->other);
}

/* The checked interpreter: the reference. 0, or -1 with the fault in `why`. */
static int interp_run(const struct dt_prog *p, uint8_t *mem, uint64_t *r0, char *why, size_t why_size)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_error err;
	int rc;

	nyk_error_clear(&err);
	if (!vm) {
		snprintf(why, why_size, "out of memory");
		return -1;
	}
	memcpy(mem, p->mem, DT_MEM);
	rc = nyk_vm_load(vm, p->insn, p->n, &err);
	if (rc == 0)
		rc = nyk_vm_exec(vm, mem, DT_MEM, r0, &err);
	if (rc < 0)
		snprintf(why, why_size, "insn %ld: %s", err.insn, err.message);
	nyk_vm_destroy(vm);
	return rc < 0 ? -1 : 0;
}

/*
 * A known kernel bug (seen on 6.18): after a 32-bit cmpxchg that succeeds,
 * x86's cmpxchg leaves the upper half of r0 alone, and the kernel's
 * verifier, which should then insert a zero-extension of r0, misses it
 * when r0 is read as 64 bits only on a path it pruned. Minimal program:
 *   r2 = *(u64 *)(r1 + 0); r0 = 0x3f00000000 ll;
 *   w0 = cmpxchg32_32(r1 + 0, w0, w2); if r2 == 0 goto +1; r0 = 1; exit
 * with mem zero: r0 is 0, the kernel returns 0x3f00000000. Recognised by
 * a cmpxchg32 in the program and r0 agreeing in its low 32 bits.
 */
static int known_cmpxchg32(const struct dt_prog *p, uint64_t ref_r0, uint64_t k_r0)
{
	int has = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->insn[i].opcode == (NYK_CLASS_STX | NYK_MODE_ATOMIC | NYK_SIZE_W) &&
		    p->insn[i].imm == NYK_ATOMIC_CMPXCHG)
			has = 1;
	return has && (uint32_t)ref_r0 == (uint32_t)k_r0;
}

/* A difference: the seed, both results and (for the first few) the program. */
static void show_diff(const struct dt_prog *p, unsigned long seed, const char *what, uint64_t ref_r0,
		      const uint8_t *ref_mem, uint64_t k_r0, const uint8_t *k_mem, int show_program)
{
	printf("FAIL seed %lu (%zu insns): %s\n", seed, p->n, what);
		printf("  interpreter r0 0x%" PRIx64 ", kernel r0 0x%" PRIx64 "\n", ref_r0, k_r0);
	for (size_t i = 0; ref_mem && k_mem && i < DT_MEM; i++)
		if (ref_mem[i] != k_mem[i])
			printf("  mem[%zu]: interpreter 0x%02x, kernel 0x%02x\n", i, ref_mem[i], k_mem[i]);
	if (show_program)
		dump(p);
}

static int kernel_main(unsigned long count, unsigned long first)
{
	static struct dt_prog p;
	static struct reasons refused;
	struct nyk_executor kx = nyk_executor_kernel();
	unsigned long compared = 0, nrefused = 0, failed = 0, known = 0, differ = 0;
	uint8_t ref_mem[DT_MEM], k_mem[DT_MEM];
	char why[600];

	if (nyk_kernel_available(why, sizeof(why)) < 0) {
		printf("SKIPPED: %s\n", why);
		printf("difftest-kernel: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	for (unsigned long i = 0; i < count; i++) {
		unsigned long seed = first + i;
		uint64_t ref_r0 = 0, k_r0 = 0;
		enum nyk_run_status st;

		dt_generate_kernel(&p, seed, 1 + (int)(seed % 4));
		memcpy(k_mem, p.mem, DT_MEM);
		st = kx.run(kx.self, p.insn, p.n, k_mem, DT_MEM, &k_r0, why, sizeof(why));
		if (st == NYK_RUN_REFUSED) {
			nrefused++;
			reason_add(&refused, why);
			continue;
		}
		if (st == NYK_RUN_UNAVAILABLE) {
			printf("SKIPPED: %s\n", why);
			printf("difftest-kernel: 0 passed, 0 failed, 1 skipped\n");
			return 0;
		}
		if (st != NYK_RUN_OK) {
			failed++;
			show_diff(&p, seed, why, 0, NULL, 0, NULL, failed <= 3);
			continue;
		}
		if (interp_run(&p, ref_mem, &ref_r0, why, sizeof(why)) < 0) {
			char what[700];
			failed++;
			snprintf(what, sizeof(what), "the kernel ran it, the interpreter faulted: %s", why);
			show_diff(&p, seed, what, ref_r0, NULL, k_r0, NULL, failed <= 3);
			continue;
		}
		compared++;
		if (ref_r0 != k_r0 && known_cmpxchg32(&p, ref_r0, k_r0) && !memcmp(ref_mem, k_mem, DT_MEM)) {
			known++;
			printf("KNOWN seed %lu: kernel r0 0x%" PRIx64 ", interpreter 0x%" PRIx64
			       " (the kernel's missing zero-extension after cmpxchg32)\n", seed, k_r0, ref_r0);
		} else if (ref_r0 != k_r0 || memcmp(ref_mem, k_mem, DT_MEM)) {
			failed++;
			differ++;
			show_diff(&p, seed, ref_r0 != k_r0 ? "r0 differs" : "memory differs", ref_r0, ref_mem, k_r0, k_mem,
				  failed <= 3);
		}
	}
	printf("difftest-kernel: %lu programs: compared %lu, kernel refused %lu, differences %lu, known kernel "
	       "differences %lu\n", count, compared, nrefused, differ, known);
	if (failed > differ)
		printf("difftest-kernel: %lu programs failed otherwise (see FAIL above)\n", failed - differ);
	if (nrefused) {
		printf("kernel's commonest refusals:\n");
		reasons_print(&refused, 6);
	}
	if (count && !compared && !failed) {
		printf("the kernel accepted none of the programs\n");
		failed = 1;
	}
	compared -= differ + known;   /* what agreed */
	if (known)
		printf("difftest-kernel: %lu passed, %lu failed, %lu skipped\n", compared, failed, known);
	else
		printf("difftest-kernel: %lu passed, %lu failed\n", compared, failed);
	return failed ? 1 : 0;
}

#endif

int main(int argc, char **argv)
{
	int kernel = argc > 1 && !strcmp(argv[1], "--kernel");
	unsigned long count, first;

	if (kernel) {
		argc--;
		argv++;
	}
	count = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	first = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	if (kernel) {
#ifdef NYK_HAVE_KERNEL
		return kernel_main(count, first);
#else
		printf("SKIPPED: kernel bpf() not available in this build\n");
		printf("difftest-kernel: 0 passed, 0 failed, 1 skipped\n");
		return 0;
#endif
	}
	return jit_main(count, first);
}

static int jit_main(unsigned long count, unsigned long first)
{
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
