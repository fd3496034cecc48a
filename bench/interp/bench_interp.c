/*
 * bench_interp.c - how fast the interpreter runs the programs of progs.c,
 * unchecked and checked, against their native twins (native.c, clang -O2).
 * Prints figures; asserts nothing about time. Each figure is the median of
 * several short trials, with the best trial beside it: on a machine shared
 * with other work the best is the closer to the uncontended speed. The
 * process is pinned to CPU 0 when the OS allows it (timing: ../common.h).
 *
 * Usage: bench_interp [TRIALS]   (default 21)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nyuki/vm.h"
#include "bench.h"
#include "../common.h"

#define TRIAL_NS 2000000.0    /* aim at 2 ms per trial: short trials dodge other processes */

static volatile uint64_t sink;

/* What one timed loop runs: the vm (when vm != NULL) or the native twin. */
struct subject {
	const struct bench_prog *prog;
	struct nyk_vm *vm;
	uint8_t *mem;
	uint8_t *input;   /* pristine input, copied back before each run when prog->reset */
};

static void run_n(void *subject, long n)
{
	const struct subject *s = subject;
	const struct bench_prog *p = s->prog;
	uint64_t r0 = 0, acc = 0;

	for (long i = 0; i < n; i++) {
		if (p->reset)
			memcpy(s->mem, s->input, p->mem_len);
		if (s->vm)
			nyk_vm_exec(s->vm, s->mem, p->mem_len, &r0, NULL);
		else
			r0 = p->native(s->mem, p->mem_len);
		acc += r0;
	}
	sink = acc;
}

/* ns per run over `trials` trials of about TRIAL_NS each. */
static struct bench_timing time_runs(const struct subject *s, int trials)
{
	return bench_time(run_n, (void *)s, trials, TRIAL_NS);
}

static struct nyk_vm *make_vm(const struct nyk_insn *insns, size_t n, unsigned flags)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = flags };
	struct nyk_error err;

	if (!vm || nyk_vm_set_opts(vm, &o) < 0 || nyk_vm_load(vm, insns, n, &err) < 0) {
		fprintf(stderr, "bench: load failed: %s (insn %ld)\n", err.message, err.insn);
		exit(1);
	}
	return vm;
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 21;
	int bad = 0;

	if (trials < 1 || trials > 64)
		trials = 21;
	bench_pin_cpu0();
	printf("nyuki interpreter benchmark: ns per run, median of %d trials (best trial in brackets);\n"
	       "ns/insn = ns per executed eBPF instruction; x native = interpreter time / native C time\n\n", trials);
	printf("%-12s %6s | %17s %17s | %13s %13s | %8s | %6s %6s\n", "program", "insns", "unchecked ns/run",
	       "checked ns/run", "unchk ns/insn", "chkd ns/insn", "native", "unchk", "chkd");
	printf("%-12s %6s | %17s %17s | %13s %13s | %8s | %6s %6s\n", "", "/run", "", "", "", "", "ns/run",
	       "x nat", "x nat");

	for (size_t i = 0; i < bench_nprogs; i++) {
		const struct bench_prog *p = &bench_progs[i];
		struct pb b;
		uint8_t *mem = aligned_alloc(64, (p->mem_len + 63) / 64 * 64);
		uint8_t *input = aligned_alloc(64, (p->mem_len + 63) / 64 * 64);
		struct nyk_vm *vm_u, *vm_c, *vm_n;
		uint64_t r_native, r_u = 0, r_c = 0, count;
		struct bench_timing t_u, t_c, t_n;

		memset(&b, 0, sizeof(b));
		for (size_t l = 0; l < sizeof(b.label) / sizeof(b.label[0]); l++)
			b.label[l] = -1;
		p->build(&b);
		if (pb_finish(&b) < 0) {
			fprintf(stderr, "bench: %s: cannot build the program\n", p->name);
			return 1;
		}
		p->init(input, p->mem_len);
		vm_u = make_vm(b.insn, b.n, NYK_VM_UNCHECKED);
		vm_c = make_vm(b.insn, b.n, 0);
		vm_n = make_vm(b.insn, b.n, NYK_VM_COUNT);

		/* Same answers everywhere, and the instruction count. */
		memcpy(mem, input, p->mem_len);
		r_native = p->native(mem, p->mem_len);
		memcpy(mem, input, p->mem_len);
		nyk_vm_exec(vm_u, mem, p->mem_len, &r_u, NULL);
		memcpy(mem, input, p->mem_len);
		{
			struct nyk_error err;
			if (nyk_vm_exec(vm_n, mem, p->mem_len, &r_c, &err) < 0)
				fprintf(stderr, "bench: %s: %s (insn %ld)\n", p->name, err.message, err.insn);
		}
		count = nyk_vm_last_insn_count(vm_n);
		if (r_u != r_native || r_c != r_native) {
			fprintf(stderr, "bench: %s: results differ: native 0x%" PRIx64 ", unchecked 0x%" PRIx64
				", checked 0x%" PRIx64 "\n", p->name, r_native, r_u, r_c);
			bad = 1;
		}

		memcpy(mem, input, p->mem_len);
		t_u = time_runs(&(struct subject){ p, vm_u, mem, input }, trials);
		memcpy(mem, input, p->mem_len);
		t_c = time_runs(&(struct subject){ p, vm_c, mem, input }, trials);
		memcpy(mem, input, p->mem_len);
		t_n = time_runs(&(struct subject){ p, NULL, mem, input }, trials);

		printf("%-12s %6" PRIu64 " | %8.0f [%6.0f] %8.0f [%6.0f] | %5.2f [%5.2f] %5.2f [%5.2f] | %8.0f | %5.1fx %5.1fx\n",
		       p->name, count, t_u.median, t_u.best, t_c.median, t_c.best, t_u.median / (double)count,
		       t_u.best / (double)count, t_c.median / (double)count, t_c.best / (double)count, t_n.median,
		       t_u.median / t_n.median, t_c.median / t_n.median);
		nyk_vm_destroy(vm_u);
		nyk_vm_destroy(vm_c);
		nyk_vm_destroy(vm_n);
		free(mem);
		free(input);
	}

	/* Fixed cost of one call: mov r0, 0; exit. */
	{
		struct nyk_insn p[] = { { 0xb7, 0, 0, 0 }, { 0x95, 0, 0, 0 } };
		struct bench_prog empty = { "empty", NULL, 0, NULL, 0, NULL };
		struct nyk_vm *vm_u = make_vm(p, 2, NYK_VM_UNCHECKED), *vm_c = make_vm(p, 2, 0);
		struct bench_timing t_u = time_runs(&(struct subject){ &empty, vm_u, NULL, NULL }, trials);
		struct bench_timing t_c = time_runs(&(struct subject){ &empty, vm_c, NULL, NULL }, trials);
		printf("\nfixed cost of one nyk_vm_exec call (mov r0, 0; exit): %.1f ns [%.1f] unchecked, %.1f ns [%.1f] checked\n",
		       t_u.median, t_u.best, t_c.median, t_c.best);
		nyk_vm_destroy(vm_u);
		nyk_vm_destroy(vm_c);
	}
	return bad;
}
