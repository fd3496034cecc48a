/*
 * verify_sound.c - the verifier's soundness over random programs: what
 * nyk_verify accepts must run in the checked interpreter without a fault
 * (no out-of-bounds or misaligned access, no call too deep, no running out
 * of a budget of 10^7 instructions: an accepted program terminates).
 *
 * Usage: nyuki-verify-sound [COUNT [FIRST_SEED]]   (default 20000 programs, seed 1)
 *
 * Programs come from the differential tests' generator (gen.c): r1 is 256
 * bytes of memory, so they are verified as programs of a type registered
 * here whose context is those bytes, readable and writable; its helper 1
 * is gen.c's dt_helper (the context and four scalars). Odd seeds are
 * verified in privileged mode. The generator's programs are valid for the
 * executors, not always for a verifier (kfuncs, callx of helper ids,
 * out-of-bounds accesses now and then, registers a subprogram reads
 * without setting), so many are refused; each accepted one must run clean.
 * Code no path reaches is removed first (a verifier refuses dead code).
 * Ends with "verify-sound: N programs, A accepted, F faults" (and, for
 * tests/run.sh, "verify-sound: A passed, F failed"), after the commonest
 * reasons for refusing; on a fault prints the seed, the fault and the
 * program, and exits 1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "nyuki/asm.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"

enum { BUDGET = 10000000, NREASONS = 12 };

/* Why programs were refused, with numbers blanked out so that like reasons count together. */
static struct {
	char text[96];
	unsigned long n;
} reasons[NREASONS];

static void count_reason(const char *reason)
{
	char shape[96];
	size_t k = 0;

	for (const char *c = reason; *c && k + 1 < sizeof(shape); c++)
		if (!isdigit((unsigned char)*c))
			shape[k++] = *c;
		else if (!k || shape[k - 1] != '#')
			shape[k++] = '#';
	shape[k] = 0;
	for (int i = 0; i < NREASONS; i++) {
		if (!reasons[i].n) {
			snprintf(reasons[i].text, sizeof(reasons[i].text), "%s", shape);
		} else if (strcmp(reasons[i].text, shape)) {
			continue;
		}
		reasons[i].n++;
		return;
	}
}

static void print_reasons(void)
{
	for (int i = 0; i < NREASONS && reasons[i].n; i++)
		printf("  refused %7lu: %s\n", reasons[i].n, reasons[i].text);
}

static const struct nyk_helper_proto dt_helper_proto = {
	.id = DT_HELPER,
	.name = "dt_helper",
	.ret = NYK_RET_INTEGER,
	.args = { NYK_ARG_CTX, NYK_ARG_SCALAR, NYK_ARG_SCALAR, NYK_ARG_SCALAR, NYK_ARG_SCALAR },
};

static const struct nyk_helper_proto *helper_proto(void *user, uint32_t id)
{
	(void)user;
	return id == DT_HELPER ? &dt_helper_proto : NULL;
}

static const struct nyk_progtype *register_type(void)
{
	static const struct nyk_helper_def extra[] = { { DT_HELPER, "dt_helper", dt_helper } };
	struct nyk_progtype_desc d = { .size = sizeof(d) };
	struct nyk_error err;

	d.name = "verify_sound_mem";
	d.ctx_name = "256 bytes of memory";
	d.ctx_size = DT_MEM;
	d.flags = NYK_PT_CTX_BYTES | NYK_PT_CTX_WRITABLE | NYK_PT_LEGACY_PACKET;
	d.run_model = NYK_MODEL_BYTES;
	d.extra_helpers = extra;
	d.nextra_helpers = 1;
	d.ret_min = INT64_MIN;
	d.ret_max = INT64_MAX;
	if (nyk_progtype_register(&d, &err) < 0) {
		fprintf(stderr, "verify-sound: cannot register the program type: %s\n", err.message);
		return NULL;
	}
	return nyk_progtype_by_name(d.name);
}

/* ---- dead code ------------------------------------------------------------------------- */

static int is_lddw(const struct nyk_insn *i)
{
	return i->opcode == (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW);
}

/* Where the jump, call or pseudo-func lddw at `pc` goes, or -1 when it goes nowhere else. */
static long branch_target(const struct nyk_insn *insns, size_t pc)
{
	const struct nyk_insn *i = &insns[pc];
	unsigned cls = i->opcode & 0x07, op = i->opcode & 0xf0;

	if (is_lddw(i))
		return nyk_insn_src(i) == NYK_PSEUDO_FUNC ? (long)pc + 1 + i->imm : -1;
	if (cls != NYK_CLASS_JMP && cls != NYK_CLASS_JMP32)
		return -1;
	if (op == NYK_JMP_CALL)
		return nyk_insn_src(i) == NYK_CALL_LOCAL ? (long)pc + 1 + i->imm : -1;
	if (op == NYK_JMP_EXIT)
		return -1;
	if (op == NYK_JMP_JA && cls == NYK_CLASS_JMP32)
		return (long)pc + 1 + i->imm;   /* gotol */
	return (long)pc + 1 + i->off;
}

/* Whether control goes on to the next instruction after `pc`. */
static int falls_through(const struct nyk_insn *i)
{
	unsigned cls = i->opcode & 0x07, op = i->opcode & 0xf0;

	if (cls != NYK_CLASS_JMP && cls != NYK_CLASS_JMP32)
		return 1;
	return op != NYK_JMP_EXIT && op != NYK_JMP_JA;
}

/*
 * Remove the instructions no path reaches (statements after a goto or an
 * early exit, functions never called): the generator leaves them, a
 * verifier refuses them (as the kernel does), and without them far more
 * programs get past the verifier to be checked. Jumps are renumbered.
 */
static void prune_unreachable(struct dt_prog *p)
{
	static uint8_t live[DT_MAX_INSNS];
	static size_t work[DT_MAX_INSNS], newpc[DT_MAX_INSNS + 1];
	size_t sp = 0, n = 0;

	memset(live, 0, p->n);
	live[0] = 1;
	work[sp++] = 0;
	while (sp) {
		size_t pc = work[--sp], width = is_lddw(&p->insn[pc]) ? 2 : 1;
		long to = branch_target(p->insn, pc);
		if (to >= 0 && (size_t)to < p->n && !live[to]) {
			live[to] = 1;
			work[sp++] = (size_t)to;
		}
		if (falls_through(&p->insn[pc]) && pc + width < p->n && !live[pc + width]) {
			live[pc + width] = 1;
			work[sp++] = pc + width;
		}
		if (width == 2 && pc + 1 < p->n)
			live[pc + 1] = 2;   /* the lddw's second slot */
	}
	for (size_t pc = 0; pc < p->n; pc++) {
		newpc[pc] = n;
		n += live[pc] != 0;
	}
	newpc[p->n] = n;
	for (size_t pc = 0; pc < p->n; pc++) {
		struct nyk_insn *i = &p->insn[pc];
		long to = live[pc] == 1 ? branch_target(p->insn, pc) : -1;
		if (to >= 0 && (size_t)to <= p->n) {
			long rel = (long)newpc[to] - (long)newpc[pc] - 1;
			unsigned cls = i->opcode & 0x07;
			if (is_lddw(i) || (cls == NYK_CLASS_JMP && (i->opcode & 0xf0) == NYK_JMP_CALL) ||
			    (cls == NYK_CLASS_JMP32 && (i->opcode & 0xf0) == NYK_JMP_JA))
				i->imm = (int32_t)rel;
			else
				i->off = (int16_t)rel;
		}
	}
	for (size_t pc = 0; pc < p->n; pc++)
		if (live[pc])
			p->insn[newpc[pc]] = p->insn[pc];
	p->n = n;
}

static void dump(const struct dt_prog *p)
{
	char *text = nyk_disasm(p->insn, p->n, NYK_SYNTAX_C, NYK_DISASM_INDEX, NULL);

	printf("%s", text ? text : "  (cannot disassemble)\n");
	free(text);
}

/* Run an accepted program checked; 0, or -1 with the fault in `err`. */
static int run_checked(const struct dt_prog *p, struct nyk_error *err)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .insn_budget = BUDGET };
	struct nyk_vm *vm = nyk_vm_create();
	uint8_t mem[DT_MEM];
	uint64_t r0;
	int rc = -1;

	nyk_error_clear(err);
	if (!vm || nyk_vm_set_opts(vm, &opts) < 0 ||
	    nyk_vm_register_helper(vm, DT_HELPER, "dt_helper", dt_helper, err) < 0 ||
	    nyk_vm_register_kfunc(vm, DT_KFUNC, "dt_kfunc", dt_helper, err) < 0) {
		snprintf(err->message, sizeof(err->message), "cannot set up the vm");
		goto out;
	}
	if (nyk_vm_load(vm, p->insn, p->n, err) < 0) {
		/* The loader refusing what the verifier accepted is no fault, but worth seeing. */
		printf("note: accepted, but the vm refuses it: insn %ld: %s\n", err->insn, err->message);
		rc = 0;
		goto out;
	}
	memcpy(mem, p->mem, sizeof(mem));
	rc = nyk_vm_exec(vm, mem, sizeof(mem), &r0, err) < 0 ? -1 : 0;
out:
	nyk_vm_destroy(vm);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	unsigned long first = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	static struct dt_prog p;
	unsigned long accepted = 0, faults = 0;
	const struct nyk_progtype *type = register_type();

	if (!type)
		return 2;
	for (unsigned long i = 0; i < count; i++) {
		unsigned long seed = first + i;
		struct nyk_verify_opts o = { .size = sizeof(o), .type = type, .helper_proto = helper_proto };
		struct nyk_verify_result res = { .size = sizeof(res) };
		struct nyk_error err;

		dt_generate(&p, seed, 1 + (int)(seed % 4));
		prune_unreachable(&p);
		o.flags = seed % 2 ? NYK_VERIFY_PRIVILEGED : 0;
		nyk_error_clear(&err);
		if (nyk_verify(p.insn, p.n, &o, &res, &err) != 0) {
			count_reason(res.reason[0] ? res.reason : err.message);
			continue;
		}
		accepted++;
		if (run_checked(&p, &err) == 0)
			continue;
		faults++;
		printf("FAULT seed %lu (%zu insns, %s): accepted, but the checked run fails at insn %ld: %s\n", seed,
		       p.n, o.flags ? "privileged" : "unprivileged", err.insn, err.message);
		if (faults <= 3)
			dump(&p);
	}
	print_reasons();
	printf("verify-sound: %lu programs, %lu accepted, %lu faults\n", count, accepted, faults);
	printf("verify-sound: %lu passed, %lu failed\n", accepted - faults, faults);
	return faults ? 1 : 0;
}
