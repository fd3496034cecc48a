/*
 * bench_jit.c - the programs of bench/progs (BPF C, each with a native
 * twin built from the same source with clang -O2) run natively, by the
 * nyuki JIT (unchecked and checked), by the nyuki interpreter, and by the
 * kernel's JIT through BPF_PROG_TEST_RUN where bpf() is permitted.
 *
 * For each: ns per run (median of 21 trials of about 0.5 ms; the best
 * trial is kept too), the ratios to native, the JIT's compile time per
 * program and per instruction; then the geometric means and the fixed
 * cost of one call. The programs that look up maps (MAP_BENCH_LIST) run
 * through the object loader instead: nyk_program_test_run with `repeat`,
 * their maps filled the same way in nyuki, natively and in the kernel. Prints a table, writes CSV and an SVG chart. Pinned to
 * CPU 0 when the OS allows; a progress line on a terminal. Asserts
 * nothing about time; results of every executor must agree, or the
 * program is reported and the run fails.
 *
 * Usage: bench_jit OBJDIR [TRIALS] [OUTDIR]
 *   OBJDIR holds NAME.bpf.o for each program (bench/run.sh builds them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/vm.h"
#ifdef NYK_HAVE_KERNEL
#include "nyuki/kernel.h"
#endif
#include "../common.h"
#include "list.h"

#define DATA_LEN 1024
static double TRIAL_NS = 500000.0;   /* short trials dodge other processes; NYK_BENCH_TRIAL_US overrides */

enum { INPUT_RANDOM, INPUT_PACKET };

#define DECLARE_NATIVE(name, input) uint64_t native_##name(uint8_t *mem, uint64_t len);
BENCH_LIST(DECLARE_NATIVE)
MAP_BENCH_LIST(DECLARE_NATIVE)


struct prog {
	const char *name;
	uint64_t (*native)(uint8_t *, uint64_t);
	int input;
};

#define PROG_ENTRY(name, input) { #name, native_##name, input },
static const struct prog progs[] = { BENCH_LIST(PROG_ENTRY) };
#define NPROGS (sizeof(progs) / sizeof(progs[0]))
static const struct prog map_progs[] = { MAP_BENCH_LIST(PROG_ENTRY) };
#define NMAP_PROGS (sizeof(map_progs) / sizeof(map_progs[0]))

static volatile uint64_t sink;

/* ---- ELF: the raw bytes of one section ----------------------------------- */

struct elf_file {
	uint8_t *data;
	size_t len;
};

static int read_file(const char *path, struct elf_file *f)
{
	FILE *fp = fopen(path, "rb");
	long n;

	if (!fp)
		return -errno;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f->data = malloc((size_t)n);
	f->len = (size_t)n;
	if (!f->data || fread(f->data, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		return -EIO;
	}
	fclose(fp);
	return 0;
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	memcpy(&v, p, n);   /* little-endian ELF on a little-endian host */
	return v;
}

/* Section `name` of an ELF64 object: its bytes, or NULL. */
static const uint8_t *elf_section(const struct elf_file *f, const char *name, size_t *size)
{
	const uint8_t *d = f->data;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx;
	const uint8_t *strsec;

	if (f->len < 64 || memcmp(d, "\177ELF", 4) || d[4] != 2)
		return NULL;
	shoff = rd(d + 0x28, 8);
	shentsize = (unsigned)rd(d + 0x3a, 2);
	shnum = (unsigned)rd(d + 0x3c, 2);
	shstrndx = (unsigned)rd(d + 0x3e, 2);
	if (shoff + (uint64_t)shnum * shentsize > f->len || shstrndx >= shnum)
		return NULL;
	strsec = d + shoff + (uint64_t)shstrndx * shentsize;
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *sh = d + shoff + (uint64_t)i * shentsize;
		uint64_t nameoff = rd(strsec + 0x18, 8) + rd(sh, 4);
		uint64_t off = rd(sh + 0x18, 8), sz = rd(sh + 0x20, 8);
		if (nameoff < f->len && !strcmp((const char *)d + nameoff, name) && off + sz <= f->len) {
			*size = sz;
			return d + off;
		}
	}
	return NULL;
}

/* ---- inputs ------------------------------------------------------------------ */

static void make_input(int kind, uint8_t *mem)
{
	uint32_t s = 12345;

	for (size_t i = 0; i < DATA_LEN; i++) {
		s = s * 1664525u + 1013904223u;
		mem[i] = (uint8_t)(s >> 24);
	}
	if (kind == INPUT_PACKET) {
		static const uint8_t hdr[] = {
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00,       /* Ethernet, VLAN */
			0x00, 0x2a, 0x08, 0x00,                                  /* VLAN 42, IPv4 */
			0x46, 0, 0, 100, 0, 0, 0, 0, 64, 6, 0, 0,                /* IPv4 with 4 bytes of options, TCP */
			10, 0, 0, 1, 10, 0, 0, 2, 1, 1, 0, 0,                    /* addresses, options */
			0x30, 0x39, 0x00, 0x50,                                  /* ports 12345 -> 80 */
		};
		memcpy(mem, hdr, sizeof(hdr));
	}
}

/* ---- timing ------------------------------------------------------------------- */

#define timing bench_timing

struct subject {
	const struct prog *prog;
	struct nyk_vm *vm;      /* NULL: the native twin */
	uint8_t *mem;
	int reference;          /* call reference_exec instead (the floor of the fixed cost) */
	nyk_jit_fn fn;          /* call the compiled function itself (nyk_vm_jit_function) */
};

/* A native function shaped like nyk_vm_exec that does nothing: what any call through that API costs here. */
__attribute__((noinline)) static int reference_exec(struct nyk_vm *vm, void *mem, size_t len, uint64_t *ret,
						    struct nyk_error *err)
{
	__asm__ volatile("" : : "r"(vm), "r"(mem), "r"(len), "r"(err) : "memory");
	if (ret)
		*ret = 0;
	return 0;
}

static void run_n(void *subject, long n)
{
	const struct subject *s = subject;
	uint64_t r0 = 0, acc = 0;

	for (long i = 0; i < n; i++) {
		if (s->reference)
			reference_exec(s->vm, s->mem, DATA_LEN, &r0, NULL);
		else if (s->fn)
			s->fn(s->mem, DATA_LEN, &r0);
		else if (s->vm)
			nyk_vm_exec(s->vm, s->mem, DATA_LEN, &r0, NULL);
		else
			r0 = s->prog->native(s->mem, DATA_LEN);
		acc += r0;
	}
	sink = acc;
}

static struct timing time_runs(const struct subject *s, int trials)
{
	return bench_time(run_n, (void *)s, trials, TRIAL_NS);
}

#ifdef NYK_HAVE_KERNEL
/* The kernel's JIT: BPF_PROG_TEST_RUN with repeat; its own ns per run, median of trials. */
static struct timing time_kernel(int fd, uint8_t *mem, int trials, uint32_t *retval)
{
	double t[64];
	uint32_t repeat = 1;
	struct nyk_kernel_test_run run;

	for (;;) {
		memset(&run, 0, sizeof(run));
		run.size = sizeof(run);
		run.data_in = mem;
		run.data_size_in = DATA_LEN;
		run.repeat = repeat;
		if (nyk_kernel_prog_test_run(fd, &run, NULL) < 0)
			return (struct timing){ -1, -1 };
		*retval = run.retval;
		if ((double)run.duration * repeat > TRIAL_NS || repeat >= (1u << 24))
			break;
		repeat *= 4;
	}
	for (int i = 0; i < trials; i++) {
		memset(&run, 0, sizeof(run));
		run.size = sizeof(run);
		run.data_in = mem;
		run.data_size_in = DATA_LEN;
		run.repeat = repeat;
		if (nyk_kernel_prog_test_run(fd, &run, NULL) < 0)
			return (struct timing){ -1, -1 };
		t[i] = run.duration;
	}
	qsort(t, (size_t)trials, sizeof(t[0]), bench_cmp_double);
	return (struct timing){ t[trials / 2], t[0] };
}
#endif

static struct nyk_vm *make_vm(const struct nyk_insn *insns, size_t n, unsigned flags, const char *name)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = flags };
	struct nyk_error err;

	nyk_error_clear(&err);
	if (!vm || nyk_vm_set_opts(vm, &o) < 0 || nyk_vm_load(vm, insns, n, &err) < 0) {
		fprintf(stderr, "bench: %s: load failed: %s (insn %ld)\n", name, err.message, err.insn);
		exit(1);
	}
	return vm;
}

/* ---- results ------------------------------------------------------------------- */

struct result {
	const char *name;
	size_t insns;
	struct timing native, jit, jit_checked, interp, kernel;
	double compile_ns;
	const char *kernel_why;
};

static void write_csv(const char *path, const struct result *r, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "program,insns,native_ns,jit_ns,jit_checked_ns,interp_ns,kernel_ns,jit_x_native,kernel_x_native,"
		   "interp_x_native,jit_compile_us,jit_compile_ns_per_insn\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s,%zu,%.2f,%.2f,%.2f,%.2f,", r[i].name, r[i].insns, r[i].native.median, r[i].jit.median,
			r[i].jit_checked.median, r[i].interp.median);
		if (r[i].kernel.median > 0)
			fprintf(f, "%.2f,", r[i].kernel.median);
		else
			fprintf(f, ",");
		fprintf(f, "%.3f,", r[i].jit.median / r[i].native.median);
		if (r[i].kernel.median > 0)
			fprintf(f, "%.3f,", r[i].kernel.median / r[i].native.median);
		else
			fprintf(f, ",");
		fprintf(f, "%.3f,%.2f,%.2f\n", r[i].interp.median / r[i].native.median, r[i].compile_ns / 1e3,
			r[i].compile_ns / (double)r[i].insns);
	}
	fclose(f);
}

/* A bar chart of the ratios to native (log scale), one group per program. */
static void write_svg(const char *path, const struct result *r, size_t n)
{
	static const char *const colours[] = { "#2b7bba", "#e08214", "#999999" };
	static const char *const labels[] = { "nyuki JIT", "kernel JIT", "nyuki interpreter" };
	const double left = 110, top = 40, row = 30, width = 620, lo = 0.25, hi = 64;
	FILE *f = fopen(path, "w");
	double h = top + row * (double)n + 50;

	if (!f)
		return;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
		   "font-size=\"11\">\n", left + width + 30, h);
	fprintf(f, "<text x=\"%.0f\" y=\"16\" font-size=\"13\">time / native clang -O2 (log scale; left of 1x is faster than "
		   "native)</text>\n", left);
	for (double x = lo; x <= hi * 1.01; x *= 2) {
		double px = left + width * log(x / lo) / log(hi / lo);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\"/>\n", px, top - 6, px,
			top + row * (double)n, x == 1 ? "#000" : "#ddd");
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%gx</text>\n", px, top - 10, x);
	}
	for (size_t i = 0; i < n; i++) {
		double y = top + row * (double)i;
		double v[3] = { r[i].jit.median / r[i].native.median,
				r[i].kernel.median > 0 ? r[i].kernel.median / r[i].native.median : 0,
				r[i].interp.median / r[i].native.median };
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>\n", left - 6, y + 17, r[i].name);
		for (int k = 0; k < 3; k++) {
			double x = v[k] < lo ? lo : v[k] > hi ? hi : v[k];
			double w = width * log(x / lo) / log(hi / lo);
			if (v[k] <= 0)
				continue;
			fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\"><title>%s %.2fx</title>"
				   "</rect>\n", left, y + 4 + 8 * k, w, colours[k], labels[k], v[k]);
		}
	}
	for (int k = 0; k < 3; k++)
		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">%s"
			   "</text>\n", left + 160 * k, h - 30, colours[k], left + 160 * k + 14, h - 21, labels[k]);
	fprintf(f, "</svg>\n");
	fclose(f);
}

static double geomean(const struct result *r, size_t n, int which, size_t *count)
{
	double s = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		double v = which == 5 ? r[i].jit.best / r[i].native.best
			 : which == 6 ? r[i].kernel.best / r[i].native.best
			 : which == 0 ? r[i].jit.median / r[i].native.median
			 : which == 1 ? r[i].kernel.median / r[i].native.median
			 : which == 2 ? r[i].interp.median / r[i].native.median
			 : which == 3 ? r[i].jit_checked.median / r[i].native.median
				      : r[i].jit.median / r[i].kernel.median;
		if (v > 0 && (which != 1 && which != 4 && which != 6 ? 1 : r[i].kernel.median > 0)) {
			s += log(v);
			k++;
		}
	}
	*count = k;
	return k ? exp(s / (double)k) : 0;
}

/* One row of the table. */
static void print_row(const struct result *r)
{
	char compile[32] = "-", per[32] = "-";

	if (r->compile_ns > 0) {
		snprintf(compile, sizeof(compile), "%.1f", r->compile_ns / 1e3);
		snprintf(per, sizeof(per), "%.1f", r->compile_ns / (double)r->insns);
	}
	printf("%-10s %6zu | %9.1f %9.1f %9.1f %9.1f ", r->name, r->insns, r->native.median, r->jit.median,
	       r->jit_checked.median, r->interp.median);
	if (r->kernel.median > 0)
		printf("%9.1f | %5.2fx %5.2fx %5.2fx %5.1fx | %8s %6s\n", r->kernel.median, r->jit.median / r->native.median,
		       r->jit.best / r->native.best, r->kernel.median / r->native.median, r->interp.median / r->native.median,
		       compile, per);
	else
		printf("%9s | %5.2fx %5.2fx %6s %5.1fx | %8s %6s\n", r->kernel_why ? r->kernel_why : "n/a",
		       r->jit.median / r->native.median, r->jit.best / r->native.best, "-", r->interp.median / r->native.median,
		       compile, per);
	fflush(stdout);
}

/* ---- programs with maps: the object loader and nyk_program_test_run ------------------ */

/* The elements every executor's copy of a map holds (see bench_prog.h). */
static void fill_map(const struct nyk_map_def *def, void *user,
		     int (*update)(void *user, const uint32_t *key, const uint64_t *value))
{
	uint32_t n = def->type == NYK_MAP_ARRAY ? def->max_entries : def->max_entries / 2;

	for (uint32_t j = 0; j < n; j++) {
		uint32_t key = def->type == NYK_MAP_ARRAY ? j : j * 7u;
		uint64_t value = (uint64_t)key * 0x9e3779b97f4a7c15ull ^ 0x5bd1e995ull;
		if (update(user, &key, &value) < 0) {
			fprintf(stderr, "bench: cannot fill a map\n");
			exit(1);
		}
	}
}

static int update_nyuki(void *map, const uint32_t *key, const uint64_t *value)
{
	return nyk_map_update_elem(map, key, value, 0, 0);
}

struct map_subject {
	struct nyk_program *prog;
	unsigned flags;           /* NYK_RUN_* */
	const uint8_t *data;
	uint64_t retval;
};

/* n runs in one nyk_program_test_run (the context is built once, as BPF_PROG_TEST_RUN does). */
static void run_test_run(void *subject, long n)
{
	struct map_subject *s = subject;
	struct nyk_test_run run = { .size = sizeof(run), .data_in = s->data, .data_size_in = DATA_LEN,
				    .repeat = (uint64_t)n, .flags = s->flags };
	struct nyk_error err;

	nyk_error_clear(&err);
	if (nyk_program_test_run(s->prog, &run, &err) < 0) {
		fprintf(stderr, "\nbench: test run: %s\n", err.message);
		exit(1);
	}
	s->retval = run.retval;
}

static struct nyk_program *find_program(struct nyk_object *obj, const char *name)
{
	for (size_t i = 0, n = nyk_object_program_count(obj); i < n; i++)
		if (!strcmp(nyk_program_name(nyk_object_program(obj, i)), name))
			return nyk_object_program(obj, i);
	return NULL;
}

#ifdef NYK_HAVE_KERNEL
static int update_kernel(void *fd, const uint32_t *key, const uint64_t *value)
{
	return nyk_kernel_map_update(*(int *)fd, key, value, 0, NULL);
}

/*
 * The program in the kernel: its maps created and filled there, its map
 * references (lddw of map index, as the loader leaves them) turned into
 * map fds. Returns the program fd, or -1 with *why set.
 */
static int kernel_load_with_maps(struct nyk_object *obj, struct nyk_program *prog, int *fds, size_t nmaps,
				 const char **why)
{
	struct nyk_kernel_prog_opts o = { .size = sizeof(o), .prog_type = NYK_KPROG_XDP };
	const struct nyk_insn *src;
	struct nyk_insn *insns;
	struct nyk_error err;
	size_t count;
	int fd;

	for (size_t i = 0; i < nmaps; i++) {
		const struct nyk_map_def *d = nyk_object_map_def(obj, i);
		nyk_error_clear(&err);
		fds[i] = nyk_kernel_map_create(d->type, d->key_size, d->value_size, d->max_entries, NULL, &err);
		if (fds[i] < 0) {
			fprintf(stderr, "\nbench: %s: kernel map: %s\n", nyk_program_name(prog), err.message);
			*why = "no map";
			return -1;
		}
		fill_map(d, &fds[i], update_kernel);
	}
	src = nyk_program_insns(prog, &count);
	insns = malloc(count * sizeof(*insns));
	memcpy(insns, src, count * sizeof(*insns));
	for (size_t pc = 0; pc + 1 < count; pc++) {
		unsigned s = nyk_insn_src(&insns[pc]);
		if (insns[pc].opcode != (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW))
			continue;
		if ((s == NYK_PSEUDO_MAP_IDX || s == NYK_PSEUDO_MAP_IDX_VALUE) && (size_t)insns[pc].imm < nmaps) {
			insns[pc].regs = (uint8_t)(nyk_insn_dst(&insns[pc]) |
						   (s == NYK_PSEUDO_MAP_IDX ? NYK_PSEUDO_MAP_FD : NYK_PSEUDO_MAP_VALUE) << 4);
			insns[pc].imm = fds[insns[pc].imm];
		}
		pc++;
	}
	nyk_error_clear(&err);
	fd = nyk_kernel_prog_load(insns, count, &o, &err);
	free(insns);
	if (fd < 0) {
		fprintf(stderr, "\nbench: %s: the kernel refused it: %s\n", nyk_program_name(prog), err.message);
		*why = "refused";
	}
	return fd;
}
#endif

/* A program of MAP_BENCH_LIST: native, then nyuki (JIT, checked JIT, interpreter), then the kernel. */
static int bench_map_prog(const struct prog *p, struct result *r, const char *objdir, uint8_t *input, int trials,
			  int kernel)
{
	char path[512], name[64];
	struct nyk_object *obj = NULL;
	struct nyk_program *prog;
	struct nyk_error err;
	struct map_subject ms;
	uint64_t rn;
	size_t nmaps, count;
	int bad = 0;

	memset(r, 0, sizeof(*r));
	r->name = p->name;
	snprintf(path, sizeof(path), "%s/%s.bpf.o", objdir, p->name);
	snprintf(name, sizeof(name), "%s_xdp", p->name);
	nyk_error_clear(&err);
	if (nyk_object_open(path, NULL, &obj, &err) < 0 || nyk_object_load(obj, &err) < 0 ||
	    !(prog = find_program(obj, name))) {
		fprintf(stderr, "bench: %s: %s\n", path, err.message[0] ? err.message : "no such program");
		exit(1);
	}
	nyk_program_insns(prog, &count);
	r->insns = count;
	nmaps = nyk_object_map_count(obj);
	for (size_t i = 0; i < nmaps; i++)
		fill_map(nyk_object_map_def(obj, i), nyk_object_map(obj, i), update_nyuki);
	make_input(p->input, input);

	rn = p->native(input, DATA_LEN);
	r->native = time_runs(&(struct subject){ p, NULL, input, 0, NULL }, trials);
	{
		static const unsigned flags[3] = { NYK_RUN_JIT | NYK_RUN_UNCHECKED, NYK_RUN_JIT, NYK_RUN_UNCHECKED | NYK_RUN_INTERP };
		static const char *const names[3] = { "jit", "jit checked", "interpreter" };
		struct timing *t[3] = { &r->jit, &r->jit_checked, &r->interp };
		for (int k = 0; k < 3; k++) {
			ms = (struct map_subject){ prog, flags[k], input, 0 };
			*t[k] = bench_time(run_test_run, &ms, trials, TRIAL_NS);
			if ((uint32_t)ms.retval != (uint32_t)rn) {   /* an XDP program returns an int */
				fprintf(stderr, "\nbench: %s: %s gives 0x%" PRIx64 ", native 0x%" PRIx64 "\n", p->name, names[k],
					ms.retval, rn);
				bad = 1;
			}
		}
	}
	r->kernel = (struct timing){ -1, -1 };
	r->kernel_why = kernel ? NULL : "n/a";
#ifdef NYK_HAVE_KERNEL
	if (kernel) {
		int fds[16], fd;
		if (nmaps > 16) {
			r->kernel_why = "maps";
		} else if ((fd = kernel_load_with_maps(obj, prog, fds, nmaps, &r->kernel_why)) >= 0) {
			uint32_t retval = 0;
			r->kernel = time_kernel(fd, input, trials, &retval);
			if (r->kernel.median >= 0 && retval != (uint32_t)rn) {
				fprintf(stderr, "\nbench: %s: kernel retval 0x%x, native 0x%x\n", p->name, retval, (uint32_t)rn);
				bad = 1;
			}
			close(fd);
		}
		for (size_t i = 0; i < nmaps && i < 16; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
#endif
	nyk_object_close(obj);
	return bad;
}

int main(int argc, char **argv)
{
	const char *objdir = argc > 1 ? argv[1] : "build/bench";
	int trials = argc > 2 ? atoi(argv[2]) : 21;
	const char *outdir = argc > 3 ? argv[3] : objdir;
	struct result res[NPROGS + NMAP_PROGS];
	size_t nres = NPROGS + NMAP_PROGS;
	int tty = isatty(2), bad = 0, kernel = 0;
	char why[160] = "", path[512];
	uint8_t *mem = aligned_alloc(64, DATA_LEN), *input = aligned_alloc(64, DATA_LEN);

	if (trials < 1 || trials > 64)
		trials = 21;
	if (getenv("NYK_BENCH_TRIAL_US"))
		TRIAL_NS = atof(getenv("NYK_BENCH_TRIAL_US")) * 1e3;
	if (!nyk_vm_jit_available()) {
		fprintf(stderr, "bench: this build has no JIT for this machine (x86-64 only)\n");
		return 1;
	}
	bench_pin_cpu0();
#ifdef NYK_HAVE_KERNEL
	kernel = nyk_kernel_available(why, sizeof(why)) == 0;
#else
	snprintf(why, sizeof(why), "kernel backend not built");
#endif
	printf("nyuki benchmark: ns per run, median of %d trials of ~%.1f ms (pinned to CPU 0);\n"
	       "x nat = time / native clang -O2 time (best: of the best trials); compile = JIT compile time (best of 5)\n",
	       trials, TRIAL_NS / 1e6);
	if (!kernel)
		printf("kernel JIT: skipped (%s)\n", why);
	printf("\n%-10s %6s | %9s %9s %9s %9s %9s | %6s %6s %6s %6s | %8s %6s\n", "program", "insns", "native", "jit",
	       "jit-chk", "interp", "kernel", "jit", "jit", "kernel", "interp", "compile", "ns/");
	printf("%-10s %6s | %9s %9s %9s %9s %9s | %6s %6s %6s %6s | %8s %6s\n", "", "", "ns/run", "ns/run", "ns/run", "ns/run",
	       "ns/run", "x nat", "best", "x nat", "x nat", "us", "insn");

	for (size_t i = 0; i < NPROGS; i++) {
		const struct prog *p = &progs[i];
		struct result *r = &res[i];
		struct elf_file elf;
		const uint8_t *code;
		size_t size = 0, n;
		struct nyk_insn *insns;
		struct nyk_vm *vm_j, *vm_c, *vm_i;
		uint64_t rn, rj = 0, rc = 0, ri = 0;
		double best = 1e30;

		memset(r, 0, sizeof(*r));
		r->name = p->name;
		if (tty)
			fprintf(stderr, "\r[%zu/%zu] %-12s", i + 1, NPROGS, p->name);
		snprintf(path, sizeof(path), "%s/%s.bpf.o", objdir, p->name);
		if (read_file(path, &elf) < 0 || !(code = elf_section(&elf, "nyuki", &size)) || size % 8) {
			fprintf(stderr, "bench: cannot read section 'nyuki' of %s\n", path);
			return 1;
		}
		n = size / 8;
		insns = malloc(size);
		memcpy(insns, code, size);
		r->insns = n;
		make_input(p->input, input);

		for (int k = 0; k < 5; k++) {
			struct nyk_vm *vm = make_vm(insns, n, NYK_VM_JIT | NYK_VM_UNCHECKED, p->name);
			if ((double)nyk_vm_jit_compile_ns(vm) < best)
				best = (double)nyk_vm_jit_compile_ns(vm);
			nyk_vm_destroy(vm);
		}
		r->compile_ns = best;
		vm_j = make_vm(insns, n, NYK_VM_JIT | NYK_VM_UNCHECKED, p->name);
		vm_c = make_vm(insns, n, NYK_VM_JIT, p->name);
		vm_i = make_vm(insns, n, NYK_VM_UNCHECKED, p->name);

		memcpy(mem, input, DATA_LEN);
		rn = p->native(mem, DATA_LEN);
		nyk_vm_exec(vm_j, mem, DATA_LEN, &rj, NULL);
		{
			struct nyk_error err;
			nyk_error_clear(&err);
			if (nyk_vm_exec(vm_c, mem, DATA_LEN, &rc, &err) < 0)
				fprintf(stderr, "\nbench: %s (checked): %s (insn %ld)\n", p->name, err.message, err.insn);
		}
		nyk_vm_exec(vm_i, mem, DATA_LEN, &ri, NULL);
		if (rj != rn || rc != rn || ri != rn) {
			fprintf(stderr, "\nbench: %s: results differ: native 0x%" PRIx64 ", jit 0x%" PRIx64 ", jit checked 0x%"
				PRIx64 ", interpreter 0x%" PRIx64 "\n", p->name, rn, rj, rc, ri);
			bad = 1;
		}
		r->native = time_runs(&(struct subject){ p, NULL, mem, 0, NULL }, trials);
		r->jit = time_runs(&(struct subject){ p, vm_j, mem, 0, NULL }, trials);
		r->jit_checked = time_runs(&(struct subject){ p, vm_c, mem, 0, NULL }, trials);
		r->interp = time_runs(&(struct subject){ p, vm_i, mem, 0, NULL }, trials);
		r->kernel = (struct timing){ -1, -1 };
		r->kernel_why = kernel ? NULL : "n/a";
#ifdef NYK_HAVE_KERNEL
		if (kernel) {
			size_t xsize = 0, rsize = 0;
			const uint8_t *x = elf_section(&elf, "xdp", &xsize);
			if (elf_section(&elf, ".relxdp", &rsize) && rsize) {
				r->kernel_why = "relocations";
			} else if (x && xsize % 8 == 0) {
				struct nyk_kernel_prog_opts o = { .size = sizeof(o), .prog_type = NYK_KPROG_XDP };
				struct nyk_error err;
				int fd;
				nyk_error_clear(&err);
				fd = nyk_kernel_prog_load((const struct nyk_insn *)x, xsize / 8, &o, &err);
				if (fd < 0) {
					fprintf(stderr, "\nbench: %s: the kernel refused it: %s\n", p->name, err.message);
					r->kernel_why = "refused";
				} else {
					uint32_t retval = 0;
					r->kernel = time_kernel(fd, input, trials, &retval);
					if (r->kernel.median >= 0 && retval != (uint32_t)rn) {
						fprintf(stderr, "\nbench: %s: kernel retval 0x%x, native 0x%x\n", p->name, retval,
							(uint32_t)rn);
						bad = 1;
					}
					close(fd);
				}
			}
		}
#endif
		if (tty)
			fprintf(stderr, "\r%40s\r", "");
		print_row(r);
		nyk_vm_destroy(vm_j);
		nyk_vm_destroy(vm_c);
		nyk_vm_destroy(vm_i);
		free(insns);
		free(elf.data);
	}

	for (size_t i = 0; i < NMAP_PROGS; i++) {
		if (tty)
			fprintf(stderr, "\r[maps %zu/%zu] %-12s", i + 1, NMAP_PROGS, map_progs[i].name);
		bad |= bench_map_prog(&map_progs[i], &res[NPROGS + i], objdir, input, trials, kernel);
		if (tty)
			fprintf(stderr, "\r%40s\r", "");
		print_row(&res[NPROGS + i]);
	}

	{
		size_t k0, k1, k2, k3, k4, faster = 0, with_kernel = 0;
		double gj = geomean(res, NPROGS, 0, &k0), gk = geomean(res, NPROGS, 1, &k1);
		double gi = geomean(res, NPROGS, 2, &k2), gc = geomean(res, NPROGS, 3, &k3);
		double gjk = geomean(res, NPROGS, 4, &k4);
		for (size_t i = 0; i < NPROGS; i++) {
			if (res[i].kernel.median > 0) {
				with_kernel++;
				faster += res[i].jit.median < res[i].kernel.median;
			}
		}
		printf("\ngeometric mean, time / native: nyuki JIT %.2fx (%zu programs), JIT checked %.2fx, interpreter %.1fx",
		       gj, k0, gc, gi);
		if (k1)
			printf(", kernel JIT %.2fx (%zu programs); nyuki JIT / kernel JIT %.2fx", gk, k1, gjk);
		printf("\n");
		{
			size_t k5, k6;
			double gb = geomean(res, NPROGS, 5, &k5), gkb = geomean(res, NPROGS, 6, &k6);
			printf("geometric mean of best trials, time / native: nyuki JIT %.2fx", gb);
			if (k6)
				printf(", kernel JIT %.2fx", gkb);
			printf("\n");
		}
		if (with_kernel)
			printf("nyuki JIT faster than the kernel's JIT on %zu of %zu programs (medians)\n", faster, with_kernel);
	}
	/* The map programs measure helpers and maps more than code: apart from the means above. */
	{
		size_t km, kk;
		double gm = geomean(res + NPROGS, NMAP_PROGS, 0, &km), gmk = geomean(res + NPROGS, NMAP_PROGS, 1, &kk);
		printf("map lookups (%zu programs, not in the means above), time / native: nyuki JIT %.2fx", km, gm);
		if (kk)
			printf(", kernel JIT %.2fx", gmk);
		printf("\n");
	}

	/* Fixed cost of one call: mov r0, 0; exit. */
	{
		struct nyk_insn p[] = { { 0xb7, 0, 0, 0 }, { 0x95, 0, 0, 0 } };
		struct prog empty = { "empty", NULL, INPUT_RANDOM };
		struct nyk_vm *vm_u = make_vm(p, 2, NYK_VM_JIT | NYK_VM_UNCHECKED, "empty");
		struct nyk_vm *vm_c = make_vm(p, 2, NYK_VM_JIT, "empty");
		struct nyk_vm *vm_i = make_vm(p, 2, NYK_VM_UNCHECKED, "empty");
		struct timing tu = time_runs(&(struct subject){ &empty, vm_u, mem, 0, NULL }, trials);
		struct timing tc = time_runs(&(struct subject){ &empty, vm_c, mem, 0, NULL }, trials);
		struct timing ti = time_runs(&(struct subject){ &empty, vm_i, mem, 0, NULL }, trials);
		struct timing tr = time_runs(&(struct subject){ &empty, vm_u, mem, 1, NULL }, trials);
		struct timing tf = time_runs(&(struct subject){ &empty, vm_u, mem, 0, nyk_vm_jit_function(vm_u) }, trials);
		printf("fixed cost of one nyk_vm_exec call (mov r0, 0; exit), median [best]: JIT %.2f ns [%.2f], JIT checked "
		       "%.2f ns [%.2f], interpreter %.2f ns [%.2f]; an empty native function of the same signature %.2f ns "
		       "[%.2f]\n", tu.median, tu.best, tc.median, tc.best, ti.median, ti.best, tr.median, tr.best);
		printf("fixed cost of calling the compiled function itself (nyk_vm_jit_function), median [best]: %.2f ns "
		       "[%.2f]\n", tf.median, tf.best);
		nyk_vm_destroy(vm_u);
		nyk_vm_destroy(vm_c);
		nyk_vm_destroy(vm_i);
	}

	snprintf(path, sizeof(path), "%s/results.csv", outdir);
	write_csv(path, res, nres);
	printf("CSV: %s\n", path);
	snprintf(path, sizeof(path), "%s/results.svg", outdir);
	write_svg(path, res, nres);
	printf("chart: %s\n", path);
	free(mem);
	free(input);
	return bad;
}
