/*
 * verify_sound.c - the verifier's soundness over random programs: what
 * nyk_verify accepts must run in the checked interpreter without a fault
 * (no out-of-bounds or misaligned access, no call too deep, no running out
 * of a budget of 10^7 instructions: an accepted program terminates).
 *
 * Usage: nyuki-verify-sound [--raw | --packet | --mix] [COUNT [FIRST_SEED]]
 *   (default --mix, 20000 seeds from 1; --mix runs both programs of each seed)
 *
 * Raw programs come from the differential tests' generator (gen.c): r1 is
 * 256 bytes of memory, so they are verified as programs of a type
 * registered here whose context is those bytes, readable and writable; its
 * helper 1 is gen.c's dt_helper (the context and four scalars). The
 * generator's programs are valid for the executors, not always for a
 * verifier (kfuncs, callx of helper ids, out-of-bounds accesses now and
 * then, registers a subprogram reads without setting), so many are
 * refused; each accepted one must run clean. Code no path reaches is
 * removed first (a verifier refuses dead code).
 *
 * Packet programs come from gen_pkt.c: XDP programs over data, data_end and
 * data_meta, verified as type xdp, and each accepted one runs on packets of
 * every length 0..200 with only [data_meta, data_end) accessible (an exact
 * oracle: one byte past a proven range faults), in the interpreter or the
 * JIT. Odd seeds are verified in privileged mode (both kinds).
 *
 * Ends with "verify-sound: N programs, A accepted, F faults" (and, for
 * tests/run.sh, "verify-sound: A passed, F failed"), after the commonest
 * reasons for refusing; on a fault prints the seed, the fault and the
 * program, and exits 1. A crash (SIGSEGV/SIGBUS) while a packet program is
 * verified or run prints its seed and text and exits 3.
 * VERIFY_SOUND_SHOW=refused|accepted prints those packet programs.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "gen_pkt.h"
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

/* One raw-memory program (gen.c): 0 refused or clean, 1 accepted and faulting. */
static int raw_one(const struct nyk_progtype *type, unsigned long seed, unsigned long *accepted)
{
	static struct dt_prog p;
	struct nyk_verify_opts o = { .size = sizeof(o), .type = type, .helper_proto = helper_proto };
	struct nyk_verify_result res = { .size = sizeof(res) };
	struct nyk_error err;
	static unsigned long faults;

	dt_generate(&p, seed, 1 + (int)(seed % 4));
	prune_unreachable(&p);
	o.flags = seed % 2 ? NYK_VERIFY_PRIVILEGED : 0;
	nyk_error_clear(&err);
	if (nyk_verify(p.insn, p.n, &o, &res, &err) != 0) {
		count_reason(res.reason[0] ? res.reason : err.message);
		return 0;
	}
	++*accepted;
	if (run_checked(&p, &err) == 0)
		return 0;
	printf("FAULT seed %lu (%zu insns, %s): accepted, but the checked run fails at insn %ld: %s\n", seed, p.n,
	       o.flags ? "privileged" : "unprivileged", err.insn, err.message);
	if (++faults <= 3)
		dump(&p);
	return 1;
}


/* The packet program being verified or run, for a crash report. */
static const char *crash_text;
static unsigned long crash_seed;

static void say(const char *s)
{
	ssize_t rc = write(1, s, strlen(s));
	(void)rc;
}

/* A crash of the verifier (or the vm) is a failure too: name the seed and the program, then stop. */
static void on_crash(int sig)
{
	char num[24];
	int k = (int)sizeof(num) - 1;
	unsigned long v = crash_seed;

	num[k] = 0;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k > 0);
	say(sig == SIGSEGV ? "CRASH (SIGSEGV)" : "CRASH (signal)");
	if (crash_text) {
		say(" on packet seed ");
		say(num + k);
		say(":\n");
		say(crash_text);
	}
	say("\nverify-sound: 0 passed, 1 failed\n");
	_exit(3);
}

/*
 * One XDP packet program (gen_pkt.c), verified as type xdp; an accepted one
 * runs on packets of every length 0..200 (with and without metadata) where
 * only [data, data_end) and [data_meta, data) are accessible.
 */
static int pkt_one(const struct nyk_progtype *xdp, unsigned long seed, unsigned long *accepted)
{
	static char text[PK_TEXT];
	static unsigned long faults;
	struct nyk_verify_opts o = { .size = sizeof(o), .type = xdp };
	struct nyk_verify_result res = { .size = sizeof(res) };
	struct nyk_insn *insns = NULL;
	struct nyk_error err;
	size_t n = 0;
	int bad = 0;
	const char *show = getenv("VERIFY_SOUND_SHOW");   /* "refused" or "accepted": print those programs */

	fflush(stdout);   /* what was printed so far survives a crash */
	pk_generate(text, sizeof(text), seed);
	crash_text = text;
	crash_seed = seed;
	nyk_error_clear(&err);
	if (nyk_asm(text, strlen(text), "gen_pkt", &insns, &n, &err) < 0) {
		printf("packet seed %lu: the generated program does not assemble: %s\n%s", seed, err.message, text);
		return 1;
	}
	o.flags = seed % 2 ? NYK_VERIFY_PRIVILEGED : 0;
	if (nyk_verify(insns, n, &o, &res, &err) != 0) {
		count_reason(res.reason[0] ? res.reason : err.message);
		if (show && !strcmp(show, "refused"))   /* to tune the generator: what is refused, and why */
			printf("refused packet seed %lu: insn %ld: %s\n%s\n", seed, res.insn,
			       res.reason[0] ? res.reason : err.message, text);
		free(insns);
		crash_text = NULL;
		return 0;
	}
	++*accepted;
	if (show && !strcmp(show, "accepted"))
		printf("accepted packet seed %lu:\n%s\n", seed, text);
	char desc[160];
	if (pk_run(insns, n, seed, (int)(seed / 2 % 2), desc, sizeof(desc), &err) == 0) {
		if (!strncmp(desc, "refused", 7))
			printf("note: packet seed %lu accepted, but %s\n", seed, desc);
	} else {
		bad = 1;
		printf("FAULT packet seed %lu (%zu insns, %s; %s): accepted, but the checked run fails at insn %ld: %s\n",
		       seed, n, o.flags ? "privileged" : "unprivileged", desc, err.insn, err.message);
		if (++faults <= 3) {
			char *dis = nyk_disasm(insns, n, NYK_SYNTAX_C, NYK_DISASM_INDEX, NULL);
			printf("%s", dis ? dis : "  (cannot disassemble)\n");
			free(dis);
		}
	}
	free(insns);
	crash_text = NULL;
	return bad;
}

static void usage(void)
{
	fprintf(stderr, "usage: nyuki-verify-sound [--raw | --packet | --mix] [COUNT [FIRST_SEED]]\n");
}

int main(int argc, char **argv)
{
	enum { RAW = 1, PACKET = 2 } mode = RAW | PACKET;
	int argi = 1;

	if (argi < argc && argv[argi][0] == '-') {
		if (!strcmp(argv[argi], "--raw"))
			mode = RAW;
		else if (!strcmp(argv[argi], "--packet"))
			mode = PACKET;
		else if (!strcmp(argv[argi], "--mix"))
			mode = RAW | PACKET;
		else
			return usage(), 2;
		argi++;
	}
	unsigned long count = argi < argc ? strtoul(argv[argi], NULL, 0) : 20000;
	unsigned long first = argi + 1 < argc ? strtoul(argv[argi + 1], NULL, 0) : 1;
	unsigned long accepted = 0, faults = 0, raw_acc = 0, pkt_acc = 0, raw_n = 0, pkt_n = 0;
	const struct nyk_progtype *type = register_type(), *xdp = nyk_progtype_by_name("xdp");

	if (!type)
		return 2;
	fflush(stdout);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	if ((mode & PACKET) && (!xdp || pk_init() < 0)) {
		fprintf(stderr, "verify-sound: %s; packet programs skipped\n",
			xdp ? "no memory below 4 GiB for the packet frame" : "no xdp program type");
		if (mode == PACKET)
			return 2;
		mode = RAW;
	}
	/* Mixed: each seed gives a raw program and a packet program (each reproducible alone). */
	for (unsigned long i = 0; i < count; i++) {
		unsigned long seed = first + i;
		if (mode & RAW) {
			raw_n++;
			faults += (unsigned long)raw_one(type, seed, &raw_acc);
		}
		if (mode & PACKET) {
			pkt_n++;
			faults += (unsigned long)pkt_one(xdp, seed, &pkt_acc);
		}
	}
	accepted = raw_acc + pkt_acc;
	print_reasons();
	if (mode & PACKET)
		printf("verify-sound: raw %lu programs, %lu accepted; packet %lu programs, %lu accepted (%d runs each)\n",
		       raw_n, raw_acc, pkt_n, pkt_acc, PK_MAX_LEN + 1);
	printf("verify-sound: %lu programs, %lu accepted, %lu faults\n", raw_n + pkt_n, accepted, faults);
	printf("verify-sound: %lu passed, %lu failed\n", accepted - faults, faults);
	return faults ? 1 : 0;
}
