/*
 * test_vm.c - every row of the ISA table, executed in every flavour of the
 * interpreter and compared with a reference computed here in C from the
 * row's description (operator, width, form), not from the interpreter's
 * code.
 */
#include <errno.h>
#include <stdlib.h>

#include "test.h"
#include "test_vm.h"

static const uint64_t vals[] = {
	0, 1, 2, 3, 7, 31, 32, 63, 64, 65, 0x80, 0xff, 0x8000, 0xffff80,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x123456789abcdef0, 0xfedcba9876543210,
	UINT64_MAX, UINT64_MAX - 1, (uint64_t)-7, (uint64_t)INT64_MAX, (uint64_t)INT64_MIN,
	(uint64_t)INT64_MIN + 1, 0xffffffff80000000, 0x00000000ffff0000,
};
static const int32_t imms[] = { 0, 1, -1, 2, 7, -7, 31, 32, 63, 64, 0x80, 0x12345678, INT32_MIN, INT32_MAX };

#define NVALS (sizeof(vals) / sizeof(vals[0]))
#define NIMMS (sizeof(imms) / sizeof(imms[0]))

static int host_le(void)
{
	const uint16_t one = 1;
	uint8_t b;
	memcpy(&b, &one, 1);
	return b;
}

/* Reverse the low `bits` bits' bytes, one byte at a time. */
static uint64_t ref_reverse(uint64_t x, unsigned bits)
{
	uint64_t out = 0;
	for (unsigned i = 0; i < bits / 8; i++)
		out = (out << 8) | ((x >> (8 * i)) & 0xff);
	return out;
}

static uint64_t ref_mask(unsigned bits)
{
	return bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* Signed quotient and remainder by sign and magnitude, truncating. */
static uint64_t ref_sdiv(uint64_t a, uint64_t b, unsigned bits)
{
	uint64_t sign = UINT64_C(1) << (bits - 1), m = ref_mask(bits);
	uint64_t ma = (a & sign) ? (0 - a) & m : a, mb = (b & sign) ? (0 - b) & m : b;
	uint64_t q;
	if (b == 0)
		return 0;
	q = ma / mb;
	return (((a ^ b) & sign) ? 0 - q : q) & m;
}

static uint64_t ref_smod(uint64_t a, uint64_t b, unsigned bits)
{
	uint64_t sign = UINT64_C(1) << (bits - 1), m = ref_mask(bits);
	uint64_t ma = (a & sign) ? (0 - a) & m : a, mb = (b & sign) ? (0 - b) & m : b;
	uint64_t rem;
	if (b == 0)
		return a;
	rem = ma % mb;
	return ((a & sign) ? 0 - rem : rem) & m;
}

static uint64_t ref_arsh(uint64_t a, unsigned n, unsigned bits)
{
	uint64_t sign = UINT64_C(1) << (bits - 1);
	for (unsigned i = 0; i < n; i++)
		a = (a >> 1) | (a & sign);
	return a;
}

static uint64_t ref_sext(uint64_t a, unsigned bits)
{
	uint64_t sign = UINT64_C(1) << (bits - 1);
	a &= ref_mask(bits);
	return (a & sign) ? a | ~ref_mask(bits) : a;
}

/* Result of an ALU row on dst = a with operand b (imm already widened for 64-bit rows). */
static uint64_t ref_alu(const struct nyk_insn_desc *d, uint64_t a, uint64_t b)
{
	unsigned bits = d->is64 ? 64 : 32;
	uint64_t m = ref_mask(bits), x = a & m, y = b & m, res;
	const char *op = d->op;

	if (d->form == NYK_FORM_END) {
		unsigned n = (unsigned)d->sel_value;
		int is_be = strcmp(op, "be") == 0;
		int swap = strcmp(op, "bswap") == 0 || is_be == host_le();
		return swap ? ref_reverse(a, n) : a & ref_mask(n);
	}
	if (d->form == NYK_FORM_NEG)
		return (0 - x) & m;
	if (d->form == NYK_FORM_MOVSX)
		return ref_sext(b, (unsigned)d->sel_value) & m;
	if (!strcmp(op, "")) res = y;
	else if (!strcmp(op, "+")) res = x + y;
	else if (!strcmp(op, "-")) res = x - y;
	else if (!strcmp(op, "*")) res = x * y;
	else if (!strcmp(op, "/")) res = y ? x / y : 0;
	else if (!strcmp(op, "%")) res = y ? x % y : x;
	else if (!strcmp(op, "s/")) res = ref_sdiv(x, y, bits);
	else if (!strcmp(op, "s%")) res = ref_smod(x, y, bits);
	else if (!strcmp(op, "|")) res = x | y;
	else if (!strcmp(op, "&")) res = x & y;
	else if (!strcmp(op, "^")) res = x ^ y;
	else if (!strcmp(op, "<<")) res = x << (y % bits);
	else if (!strcmp(op, ">>")) res = x >> (y % bits);
	else if (!strcmp(op, "s>>")) res = ref_arsh(x, (unsigned)(y % bits), bits);
	else {
		printf("    no reference for ALU operator \"%s\"\n", op);
		return 0xdead;
	}
	return res & m;
}

static int ref_jump(const struct nyk_insn_desc *d, uint64_t a, uint64_t b)
{
	unsigned bits = d->is64 ? 64 : 32;
	uint64_t x = a & ref_mask(bits), y = b & ref_mask(bits);
	/* Signed order: flip the sign bit and compare unsigned. */
	uint64_t flip = UINT64_C(1) << (bits - 1), sx = x ^ flip, sy = y ^ flip;
	const char *op = d->op;

	if (!strcmp(op, "==")) return x == y;
	if (!strcmp(op, "!=")) return x != y;
	if (!strcmp(op, ">")) return x > y;
	if (!strcmp(op, ">=")) return x >= y;
	if (!strcmp(op, "<")) return x < y;
	if (!strcmp(op, "<=")) return x <= y;
	if (!strcmp(op, "s>")) return sx > sy;
	if (!strcmp(op, "s>=")) return sx >= sy;
	if (!strcmp(op, "s<")) return sx < sy;
	if (!strcmp(op, "s<=")) return sx <= sy;
	if (!strcmp(op, "&")) return (x & y) != 0;
	printf("    no reference for jump operator \"%s\"\n", op);
	return -1;
}

/* The instruction of row `d` with dst r4, src r5, and the given off and imm. */
static struct nyk_insn row_insn(const struct nyk_insn_desc *d, int16_t off, int32_t imm)
{
	struct nyk_insn i = { d->opcode, 0, off, imm };
	unsigned dst = (d->fields & NYK_F_DST) ? 4 : 0, src = (d->fields & NYK_F_SRC) ? 5 : 0;

	if (d->selector == NYK_SEL_SRC)
		src = (unsigned)d->sel_value;
	if (d->selector == NYK_SEL_OFF)
		i.off = (int16_t)d->sel_value;
	if (d->selector == NYK_SEL_IMM)
		i.imm = d->sel_value;
	if (!(d->fields & NYK_F_IMM) && d->selector != NYK_SEL_IMM)
		i.imm = 0;
	if (!(d->fields & NYK_F_OFF) && d->selector != NYK_SEL_OFF)
		i.off = 0;
	i.regs = nyk_insn_regs(dst, src);
	return i;
}

/* ALU rows: r4 = a, r5 = b from mem; run the row; r0 = r4. */
static int check_alu_row(const struct nyk_insn_desc *d)
{
	int has_imm = d->form == NYK_FORM_ALU_K;
	size_t nimm = has_imm ? NIMMS : 1;

	for (size_t k = 0; k < nimm; k++) {
		int32_t imm = has_imm ? imms[k] : 0;
		struct nyk_insn p[] = {
			MOV_X(3, 1), LDXDW(4, 3, 0), LDXDW(5, 3, 8), row_insn(d, 0, imm), MOV_X(0, 4), EXIT,
		};
		for (size_t a = 0; a < NVALS; a++) {
			for (size_t b = 0; b < (has_imm ? 1 : NVALS); b++) {
				uint64_t mem[2] = { vals[a], vals[b] }, r0 = 0;
				uint64_t operand = has_imm ? (uint64_t)(int64_t)imm : vals[b];
				uint64_t want;
				if (!d->is64 && has_imm)
					operand = (uint32_t)imm;
				want = ref_alu(d, vals[a], operand);
				if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0)) {
					printf("    row %s (0x%02x) failed to run\n", d->name, d->opcode);
					return 0;
				}
				if (r0 != want) {
					printf("    %s: dst 0x%" PRIx64 " operand 0x%" PRIx64 ": got 0x%" PRIx64
					       ", want 0x%" PRIx64 "\n", d->name, vals[a], operand, r0, want);
					return 0;
				}
			}
		}
	}
	return 1;
}

/* Conditional jump rows: r0 = 1 when taken, 0 when not. */
static int check_jump_row(const struct nyk_insn_desc *d)
{
	int has_imm = d->form == NYK_FORM_JMP_K;
	size_t nimm = has_imm ? NIMMS : 1;

	for (size_t k = 0; k < nimm; k++) {
		int32_t imm = has_imm ? imms[k] : 0;
		struct nyk_insn p[] = {
			MOV_X(3, 1), LDXDW(4, 3, 0), LDXDW(5, 3, 8), row_insn(d, 2, imm),
			MOV_K(0, 0), EXIT, MOV_K(0, 1), EXIT,
		};
		for (size_t a = 0; a < NVALS; a++) {
			for (size_t b = 0; b < (has_imm ? 1 : NVALS); b++) {
				uint64_t mem[2] = { vals[a], vals[b] }, r0 = 0;
				uint64_t operand = has_imm ? (uint64_t)(int64_t)imm : vals[b];
				int want = ref_jump(d, vals[a], operand);
				if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) || r0 != (uint64_t)want) {
					printf("    %s: 0x%" PRIx64 " vs 0x%" PRIx64 ": got %" PRIu64 ", want %d\n", d->name,
					       vals[a], operand, r0, want);
					return 0;
				}
			}
		}
	}
	return 1;
}

static const uint8_t pattern[32] = {
	0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x09, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70,
	0xff, 0x7f, 0x80, 0x01, 0xfe, 0x00, 0x55, 0xaa, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80,
};

/* Host-order value of `size` bytes at p. */
static uint64_t ref_load(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * (host_le() ? i : size - 1 - i));
	return v;
}

static void ref_store(uint8_t *p, unsigned size, uint64_t v)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (host_le() ? i : size - 1 - i)));
}

/* Loads: r0 = [r3 + off] with r3 = mem + 8, at several (unaligned) offsets. */
static int check_ldx_row(const struct nyk_insn_desc *d)
{
	static const int16_t offs[] = { -8, -7, -3, 0, 1, 3, 5, 8, 24 - 8 };
	int sx = d->name[3] == 's';

	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		struct nyk_insn p[] = { MOV_X(3, 1), ADD_K(3, 8), row_insn(d, offs[k], 0), MOV_X(0, 4), EXIT };
		uint8_t mem[32];
		uint64_t r0 = 0, want;
		p[2].regs = nyk_insn_regs(4, 3);
		memcpy(mem, pattern, sizeof(mem));
		want = ref_load(mem + 8 + offs[k], d->size);
		if (sx)
			want = ref_sext(want, 8 * d->size);
		if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) || r0 != want) {
			printf("    %s off %d: got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", d->name, offs[k], r0, want);
			return 0;
		}
	}
	return 1;
}

/* Stores of an immediate (ST) or of r5 (STX) at [r3 + off], r3 = mem + 8. */
static int check_store_row(const struct nyk_insn_desc *d)
{
	static const int16_t offs[] = { -8, -5, 0, 1, 3, 7 };

	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		for (size_t v = 0; v < NIMMS; v++) {
			struct nyk_insn p[] = {
				MOV_X(3, 1), LDXDW(5, 3, 24), ADD_K(3, 8), row_insn(d, offs[k], imms[v]), MOV_K(0, 0), EXIT,
			};
			uint8_t mem[32], want[32];
			uint64_t r0, value = d->form == NYK_FORM_ST ? (uint64_t)(int64_t)imms[v] : vals[v + 10];
			p[3].regs = nyk_insn_regs(3, d->form == NYK_FORM_STX ? 5 : 0);
			memcpy(mem, pattern, sizeof(mem));
			ref_store(mem + 24, 8, vals[v + 10]);
			memcpy(want, mem, sizeof(want));
			ref_store(want + 8 + offs[k], d->size, value);
			if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) || memcmp(mem, want, sizeof(mem))) {
				printf("    %s off %d value 0x%" PRIx64 ": memory differs\n", d->name, offs[k], value);
				return 0;
			}
		}
	}
	return 1;
}

/* Atomics on mem[0] (a) with r5 = b and r0 = c; mem[3] = r5 and mem[4] = r0 after. */
static int check_atomic_row(const struct nyk_insn_desc *d)
{
	unsigned aop = (unsigned)d->sel_value & ~(unsigned)NYK_ATOMIC_FETCH;
	int fetch = d->sel_value & NYK_ATOMIC_FETCH;
	struct nyk_insn p[] = {
		MOV_X(3, 1), LDXDW(5, 3, 8), LDXDW(0, 3, 16), row_insn(d, 0, 0),
		STXDW(3, 5, 24), STXDW(3, 0, 32), EXIT,
	};
	p[3].regs = nyk_insn_regs(3, 5);
	for (size_t a = 0; a < NVALS; a += 3) {
		for (size_t b = 0; b < NVALS; b += 2) {
			for (int same = 0; same < 2; same++) {
				uint64_t m = ref_mask(8 * d->size), old = vals[a] & m, arg = vals[b] & m, nv;
				uint64_t mem[5] = { vals[a], vals[b], same ? vals[a] : vals[a] ^ 0x10, 0, 0 };
				uint64_t want[5], r0;
				switch (aop) {
				case NYK_ATOMIC_ADD: nv = old + arg; break;
				case NYK_ATOMIC_OR: nv = old | arg; break;
				case NYK_ATOMIC_AND: nv = old & arg; break;
				case NYK_ATOMIC_XOR: nv = old ^ arg; break;
				case NYK_ATOMIC_XCHG & ~NYK_ATOMIC_FETCH: nv = arg; break;
				default: nv = (mem[2] & m) == old ? arg : old; break; /* cmpxchg */
				}
				memcpy(want, mem, sizeof(want));
				ref_store((uint8_t *)want, d->size, nv & m);
				want[3] = fetch && aop != (NYK_ATOMIC_CMPXCHG & ~NYK_ATOMIC_FETCH) ? old : vals[b];
				want[4] = aop == (NYK_ATOMIC_CMPXCHG & ~NYK_ATOMIC_FETCH) ? old : mem[2];
				if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) || memcmp(mem, want, sizeof(mem))) {
					printf("    %s: 0x%" PRIx64 " with 0x%" PRIx64 " (r0 0x%" PRIx64 "): got mem 0x%" PRIx64
					       " src 0x%" PRIx64 " r0 0x%" PRIx64 ", want 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
					       "\n", d->name, vals[a], vals[b], mem[2], mem[0], mem[3], mem[4], want[0],
					       want[3], want[4]);
					return 0;
				}
			}
		}
	}
	return 1;
}

/* Legacy packet loads: r0 = ntoh(mem[off]) or 0 when out of bounds. */
static int check_ldpkt_row(const struct nyk_insn_desc *d)
{
	static const int32_t offs[] = { 0, 1, 5, 12, 13, 14, 15, 16, 100, -1, INT32_MIN, INT32_MAX };
	static const uint64_t bases[] = { 0, 3, 0xffffffff, 0x100000001 };
	int ind = d->form == NYK_FORM_LD_IND;

	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		for (size_t b = 0; b < (ind ? 4 : 1); b++) {
			struct nyk_insn p[] = { LDDW(7, bases[b]), row_insn(d, 0, offs[k]), EXIT };
			uint8_t mem[16];
			uint64_t r0 = 1, want = 0;
			int64_t off = ind ? (int32_t)((uint32_t)bases[b] + (uint32_t)offs[k]) : offs[k];
			p[2].regs = nyk_insn_regs(0, ind ? 7 : 0);
			memcpy(mem, pattern, sizeof(mem));
			if (off >= 0 && off + d->size <= 16)
				for (unsigned i = 0; i < d->size; i++)
					want = want << 8 | mem[off + i];
			if (!tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) || r0 != want) {
				printf("    %s off %" PRId64 ": got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", d->name, off, r0, want);
				return 0;
			}
		}
	}
	return 1;
}

/* Rows left: jumps without condition, calls, exit, lddw. */
static int check_other_row(const struct nyk_insn_desc *d)
{
	uint64_t r0 = 0;

	switch (d->form) {
	case NYK_FORM_JA: {
		struct nyk_insn p[] = { MOV_K(0, 1), row_insn(d, 1, 0), MOV_K(0, 2), EXIT };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 1;
	}
	case NYK_FORM_JA32: {
		/* To the ja at 4, which goes back to the exit. */
		struct nyk_insn p[] = { MOV_K(0, 1), row_insn(d, 0, 2), MOV_K(0, 2), EXIT, JA(-2) };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 1;
	}
	case NYK_FORM_EXIT: {
		struct nyk_insn p[] = { MOV_K(0, 77), row_insn(d, 0, 0) };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 77;
	}
	case NYK_FORM_CALL: {
		struct nyk_insn p[] = { MOV_K(1, 1), MOV_K(2, 10), MOV_K(3, 100), MOV_K(4, 1000), MOV_K(5, 10000),
					row_insn(d, 0, 1), EXIT };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 1 + 20 + 300 + 4000 + 50000;
	}
	case NYK_FORM_CALL_LOCAL: {
		struct nyk_insn p[] = { MOV_K(6, 11), row_insn(d, 0, 2), ADD_X(0, 6), EXIT, MOV_K(6, 100), MOV_K(0, 1),
					EXIT };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 12;
	}
	case NYK_FORM_CALLX: {
		struct nyk_insn p[] = { I(0x18, 4, NYK_PSEUDO_FUNC, 0, 4), LDDW_HI(0), row_insn(d, 0, 0), ADD_K(0, 1),
					EXIT, MOV_K(0, 41), EXIT };
		return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 42;
	}
	case NYK_FORM_LDDW:
		if (d->sel_value == NYK_PSEUDO_NONE) {
			struct nyk_insn p[] = { LDDW(0, 0x8123456789abcdefu), EXIT };
			return tv_run_all(p, NPROG(p), NULL, 0, &r0) && r0 == 0x8123456789abcdefu;
		}
		if (d->sel_value == NYK_PSEUDO_FUNC) {
			struct nyk_insn p[] = { I(0x18, 0, NYK_PSEUDO_FUNC, 0, 2), LDDW_HI(0), EXIT, MOV_K(0, 1), EXIT };
			struct nyk_vm *vm = tv_vm();
			int ok = nyk_vm_load(vm, p, NPROG(p), NULL) == 0;
			for (int f = 0; ok && f < TV_FLAVOURS; f++)
				ok = tv_exec(vm, f, NULL, 0, &r0, NULL) == 0 && r0 == (uint64_t)(uintptr_t)&vm->insns[3];
			nyk_vm_destroy(vm);
			return ok;
		} else {
			/* Map and BTF sources wait for the object loader. */
			struct nyk_insn p[] = { row_insn(d, 0, 1), LDDW_HI(0), EXIT };
			struct nyk_vm *vm = tv_vm();
			struct nyk_error err;
			char want[64];
			int ok;
			nyk_error_clear(&err);
			p[0].regs = nyk_insn_regs(1, (unsigned)d->sel_value);
			snprintf(want, sizeof(want), "lddw with pseudo source %d (", d->sel_value);
			ok = nyk_vm_load(vm, p, NPROG(p), &err) == -ENOTSUP && err.insn == 0 && strstr(err.message, want) &&
			     strstr(err.message, "needs the object loader");
			if (!ok)
				printf("    %s: \"%s\"\n", d->name, err.message);
			nyk_vm_destroy(vm);
			return ok;
		}
	case NYK_FORM_CALL_KFUNC: {
		struct nyk_insn p[] = { row_insn(d, 0, 1234), EXIT };
		struct nyk_vm *vm = tv_vm();
		struct nyk_error err;
		int ok;
		nyk_error_clear(&err);
		/* Unregistered kfuncs are refused; test_rows.c runs a registered one. */
		ok = nyk_vm_load(vm, p, NPROG(p), &err) == -ENOENT && err.insn == 0 &&
		     strstr(err.message, "unknown kfunc with BTF id 1234");
		nyk_vm_destroy(vm);
		return ok;
	}
	default:
		printf("    no test for form %u\n", d->form);
		return 0;
	}
}

TEST(vm_every_row_maps_to_an_operation)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	int seen[VM_OP_COUNT] = { 0 };

	for (size_t r = 0; r < n; r++) {
		int op = vm_op_of_row(&t[r]);
		int refused = t[r].form == NYK_FORM_CALL_KFUNC ||
			      (t[r].form == NYK_FORM_LDDW && t[r].sel_value != NYK_PSEUDO_NONE &&
			       t[r].sel_value != NYK_PSEUDO_FUNC);
		CHECK_MSG(refused ? op < 0 : op >= 0, "row %s (0x%02x, %d) maps to %d", t[r].name, t[r].opcode,
			  t[r].sel_value, op);
		if (op >= 0)
			seen[op]++;
	}
	for (int op = 0; op < VM_OP_ROWS; op++)
		CHECK_MSG(seen[op] == (op == VM_OP_LDDW ? 2 : 1), "operation %s has %d rows", vm_op_name((unsigned)op),
			  seen[op]);
}

TEST(vm_every_row_runs_like_the_reference)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);

	for (size_t r = 0; r < n; r++) {
		const struct nyk_insn_desc *d = &t[r];
		int ok;
		switch (d->form) {
		case NYK_FORM_ALU_K: case NYK_FORM_ALU_X: case NYK_FORM_NEG: case NYK_FORM_MOVSX: case NYK_FORM_END:
			ok = check_alu_row(d);
			break;
		case NYK_FORM_JMP_K: case NYK_FORM_JMP_X:
			ok = check_jump_row(d);
			break;
		case NYK_FORM_LDX:
			ok = check_ldx_row(d);
			break;
		case NYK_FORM_ST: case NYK_FORM_STX:
			ok = check_store_row(d);
			break;
		case NYK_FORM_ATOMIC:
			ok = check_atomic_row(d);
			break;
		case NYK_FORM_LD_ABS: case NYK_FORM_LD_IND:
			ok = check_ldpkt_row(d);
			break;
		default:
			ok = check_other_row(d);
			break;
		}
		CHECK_MSG(ok, "row %zu (%s, opcode 0x%02x, selector %d)", r, d->name, d->opcode, d->sel_value);
	}
}

/*
 * Superinstructions: an add followed by each 64-bit conditional jump, and
 * sub (loaded as add of the negation) in front of them. The slow flavours
 * run the pair as two instructions, so tv_run_all also compares fused with
 * unfused execution.
 */
TEST(vm_fused_add_and_jump_run_like_the_pair)
{
	size_t n;
	const struct nyk_insn_desc *t = nyk_isa_table(&n);
	int fused_seen[VM_OP_COUNT] = { 0 };
	static const int32_t steps[] = { 1, -1, 4, INT32_MIN, INT32_MAX };

	for (size_t r = 0; r < n; r++) {
		const struct nyk_insn_desc *d = &t[r];
		if ((d->form != NYK_FORM_JMP_K && d->form != NYK_FORM_JMP_X) || !d->is64)
			continue;
		for (int first = 0; first < 3; first++) {
			for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
				/* first: 0 add r4, k; 1 add r4, r6 (= k); 2 sub r4, k */
				static const uint8_t ops[] = { 0x07, 0x0f, 0x17 };
				struct nyk_insn p[] = {
					MOV_X(3, 1), LDXDW(4, 3, 0), LDXDW(5, 3, 8), MOV_K(6, steps[k]),
					I(ops[first], 4, first == 1 ? 6 : 0, 0, first == 1 ? 0 : steps[k]),
					row_insn(d, 2, (int32_t)vals[k + 3]),
					MOV_K(0, 0), EXIT, MOV_K(0, 1), EXIT,
				};
				struct nyk_vm *vm = tv_vm();
				CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
				fused_seen[vm->code[4].op]++;
				nyk_vm_destroy(vm);
				for (size_t a = 0; a < NVALS; a += 2) {
					for (size_t b = 0; b < NVALS; b += 3) {
						uint64_t mem[2] = { vals[a], vals[b] }, r0 = 0;
						uint64_t step = (uint64_t)(int64_t)steps[k];
						uint64_t x = first == 2 ? vals[a] - step : vals[a] + step;
						uint64_t operand = d->form == NYK_FORM_JMP_K ? (uint64_t)(int64_t)(int32_t)vals[k + 3]
											     : vals[b];
						int want = ref_jump(d, x, operand);
						CHECK_MSG(tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0) && r0 == (uint64_t)want,
							  "%s after %s %d: 0x%" PRIx64 " vs 0x%" PRIx64 ": got %" PRIu64, d->name,
							  first == 2 ? "sub" : "add", steps[k], x, operand, r0);
					}
				}
			}
		}
	}
	for (int op = VM_OP_ROWS + 1; op < VM_OP_COUNT; op++)
		CHECK_MSG(fused_seen[op] > 0, "superinstruction %s never loaded", vm_op_name((unsigned)op));
}

TEST(vm_fused_pair_keeps_jumps_to_its_second_slot_and_the_budget_exact)
{
	/* r0 counts down from 3 through the jne; the ja lands on the jne alone. */
	struct nyk_insn p[] = { MOV_K(0, 3), JA(1), ADD_K(0, -1), JNE_K(0, 0, -2), EXIT };
	struct nyk_vm_opts o = { .size = sizeof(o) };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;
	uint64_t r0 = 9;

	CHECK(tv_run_all(p, NPROG(p), NULL, 0, &r0));
	CHECK_EQ(r0, 0);
	CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
	CHECK(vm->code[2].op == VM_OP_ADD64_K__JNE_K);
	/* mov, ja, jne, (add+jne) x 3 = 9 instructions, then exit: a budget of 9 stops at the exit... */
	for (uint64_t budget = 1; budget <= 10; budget++) {
		o.insn_budget = budget;
		CHECK(nyk_vm_set_opts(vm, &o) == 0);
		for (int f = 0; f < TV_FLAVOURS; f++) {
			static const long stop[] = { 0, 1, 3, 2, 3, 2, 3, 2, 3, 4 };
			int rc;
			if (!tv_flavour_checked(f))
				continue;
			nyk_error_clear(&err);
			rc = tv_exec(vm, f, NULL, 0, &r0, &err);
			if (budget == 10) {
				CHECK_MSG(rc == 0, "%s: %s", tv_flavour_name(f), err.message);
				continue;
			}
			/* ...and a smaller one at the instruction after the budget-th. */
			CHECK_MSG(rc == -ELOOP && err.insn == stop[budget], "%s budget %" PRIu64 ": rc %d insn %ld",
				  tv_flavour_name(f), budget, rc, err.insn);
		}
	}
	nyk_vm_destroy(vm);
}
