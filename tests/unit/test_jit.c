/*
 * test_jit.c - what is particular to the JIT: random programs against the
 * interpreter (a short run of tests/difftest), long jumps, the code and
 * offset map, recompiling on set_opts, blinding, W^X, helpers that end
 * the run or call back into it, the stack alignment helpers see, and
 * compile time of a large program. The JIT also runs every test of
 * test_vm*.c through the flavours of test_vm_util.c.
 */
#include <errno.h>
#include <stdlib.h>

#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "test.h"
#include "test_vm.h"
#include "../difftest/gen.h"

#if VM_HAVE_JIT

TEST(jit_random_programs_match_the_interpreter)
{
	static struct dt_prog p;
	char why[600];

	for (uint64_t seed = 1; seed <= 400; seed++) {
		dt_generate(&p, seed * 7919, 1 + (int)(seed % 4));
		CHECK_MSG(dt_compare(p.insn, p.n, p.mem, DT_MEM, p.budget, DT_ALL, why, sizeof(why)), "seed %" PRIu64 ": %s",
			  seed * 7919, why);
		CHECK_MSG(strncmp(why, "refused", 7) != 0, "seed %" PRIu64 ": %s", seed * 7919, why);
	}
}

static struct nyk_vm *jit_vm(const struct nyk_insn *p, size_t n, unsigned flags)
{
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_JIT | flags };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;

	nyk_error_clear(&err);
	if (!vm || nyk_vm_set_opts(vm, &o) < 0 || nyk_vm_load(vm, p, n, &err) < 0) {
		printf("    load: %s (insn %ld)\n", err.message, err.insn);
		nyk_vm_destroy(vm);
		return NULL;
	}
	return vm;
}

TEST(jit_long_and_short_jumps_both_ways)
{
	/* A forward jump over 200 adds (long), a backward loop over them (long), and short ones. */
	struct nyk_insn p[260];
	size_t n = 0;
	uint64_t r0 = 0;

	p[n++] = MOV_K(0, 0);
	p[n++] = MOV_K(2, 3);
	p[n++] = JEQ_K(2, 0, 204);         /* never taken, long: to the exit */
	for (int i = 0; i < 200; i++)
		p[n++] = ADD_K(0, 1);
	p[n++] = ADD_K(2, -1);
	p[n++] = JNE_K(2, 0, -202);        /* back over the adds, long */
	p[n++] = JA(1);                    /* short */
	p[n++] = MOV_K(0, 99);
	p[n++] = EXIT;
	CHECK(tv_run_all(p, n, NULL, 0, &r0));
	CHECK_EQ(r0, 600);
}

/* mov d, s; add d, t (or k) becomes one lea: every register pairing, r10 included as a source. */
TEST(jit_mov_add_pairs_in_every_register_combination)
{
	for (unsigned d = 0; d < 10; d++) {
		for (unsigned s = 0; s <= 10; s++) {
			for (unsigned t = 0; t <= 11; t++) {
				struct nyk_insn p[24];
				size_t n = 0;
				uint64_t r0 = 0;
				if (d == s)
					continue;
				for (unsigned r = 0; r < 10; r++)
					p[n++] = MOV_K(r, (int32_t)(0x1000 * r + 7 * r + 1));
				p[n++] = MOV_X(d, s);
				p[n++] = t <= 10 ? ADD_X(d, t) : ADD_K(d, -77);
				p[n++] = MOV_X(0, d);
				/* r0 -= r10 for each r10 in the sum: no stack address in the result */
				for (unsigned k = (s == NYK_REG_FP) * (t == d ? 2 : 1) + (t == NYK_REG_FP); k > 0; k--)
					p[n++] = I(0x1f, 0, 10, 0, 0);
				p[n++] = EXIT;
				CHECK_MSG(tv_run_all(p, n, NULL, 0, &r0), "mov r%u, r%u; add r%u, %s%u", d, s, d,
					  t <= 10 ? "r" : "", t <= 10 ? t : 0);
			}
		}
	}
}

/* Division and modulo by constants (multiplications in the JIT) against the interpreter. */
TEST(jit_division_by_constants)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	static const uint8_t ops[] = { 0x37, 0x97, 0x34, 0x94 };   /* div, mod; 64 and 32 bits */

	for (int i = 0; i < 600; i++) {
		int32_t k;
		uint64_t mem[1], r0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (int32_t)(x >> (i % 32));
		if (i % 5 == 0)
			k = (int32_t)(x % 1000) + 3;
		mem[0] = x * 0x2545f4914f6cdd1du >> (i % 64);
		for (size_t o = 0; o < sizeof(ops); o++) {
			struct nyk_insn p[] = { LDXDW(0, 1, 0), I(ops[o], 0, 0, 0, k), EXIT };
			CHECK_MSG(tv_run_all(p, NPROG(p), mem, sizeof(mem), &r0), "op 0x%02x by %d of 0x%" PRIx64, ops[o], k,
				  mem[0]);
		}
	}
}

/*
 * Signed division and modulo by constants (off = 1): each program divides
 * 32 numerators in memory in place, so tv_run_all compares every quotient.
 */
TEST(jit_signed_division_by_constants)
{
	static const int32_t ks[] = { 2, 3, 5, 6, 7, 9, 10, 11, 12, 13, 25, 37, 100, 125, 641, 1000, 65537,
				      0x12345678, 0x40000000, 0x7fffffff, 16, 1 << 20, 1 << 30, -2, -3, -5, -7,
				      -10, -16, -37, -100, -1000, -65537, -0x12345678, -0x40000000, -0x7fffffff };
	static const uint8_t ops[] = { 0x37, 0x97, 0x34, 0x94 };   /* sdiv, smod; 64 and 32 bits */
	static const uint64_t edges[] = { 0, 1, UINT64_MAX, 0x8000000000000000u, 0x7fffffffffffffffu, 0x80000000,
					  0x7fffffff, 0xffffffff80000000u, 0x7ffffffe, (uint64_t)-7, 100, (uint64_t)-100 };
	uint64_t x = 0x2545f4914f6cdd1du;

	for (size_t ki = 0; ki < NPROG(ks); ki++) {
		for (size_t o = 0; o < sizeof(ops); o++) {
			uint64_t mem[32], r0;
			struct nyk_insn p[3 * 32 + 2];
			size_t n = 0;
			for (size_t i = 0; i < 32; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				/* the edges, then random values, half of them sign-extended 32-bit ones */
				mem[i] = i < NPROG(edges) ? edges[i] : (i & 1) ? (uint64_t)(int64_t)(int32_t)x : x;
				p[n++] = LDXDW(2, 1, (int16_t)(8 * i));
				p[n++] = I(ops[o], 2, 0, 1, ks[ki]);
				p[n++] = STXDW(1, 2, (int16_t)(8 * i));
			}
			p[n++] = MOV_K(0, 0);
			p[n++] = EXIT;
			CHECK_MSG(tv_run_all(p, n, mem, sizeof(mem), &r0), "op 0x%02x (signed) by %d", ops[o], ks[ki]);
		}
	}
}

/* mov d, s; add d, k; add d, t becomes one lea: register pairings with several constants. */
TEST(jit_mov_add_add_triples)
{
	static const int32_t ks[] = { -256, -8, 1, 127, 128, -129, 0x7fffffff, -0x7fffffff };

	for (unsigned d = 0; d < 10; d++) {
		for (unsigned s = 0; s <= 10; s++) {
			for (unsigned t = 0; t <= 10; t++) {
				struct nyk_insn p[24];
				size_t n = 0;
				uint64_t r0 = 0;
				int32_t k = ks[(d + s + t) % NPROG(ks)];
				unsigned fp;
				if (d == s)
					continue;
				for (unsigned r = 0; r < 10; r++)
					p[n++] = MOV_K(r, (int32_t)(0x1111 * r + 7));
				p[n++] = MOV_X(d, s);
				p[n++] = ADD_K(d, k);
				p[n++] = ADD_X(d, t);
				p[n++] = MOV_X(0, d);
				/* r0 -= r10 for each r10 in the sum: no stack address in the result */
				fp = t == d ? 2 * (s == NYK_REG_FP) : (s == NYK_REG_FP) + (t == NYK_REG_FP);
				for (; fp > 0; fp--)
					p[n++] = I(0x1f, 0, 10, 0, 0);
				p[n++] = EXIT;
				CHECK_MSG(tv_run_all(p, n, NULL, 0, &r0), "mov r%u, r%u; add r%u, %d; add r%u, r%u", d, s, d,
					  k, d, t);
			}
		}
	}
}

/* The direct entry copes with NULL mem and NULL ret, and with NYK_VM_COUNT switched on and off. */
TEST(jit_null_arguments_and_count_toggling)
{
	struct nyk_insn p[] = { MOV_X(0, 2), EXIT };   /* r0 = mem_len */
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_JIT | NYK_VM_UNCHECKED };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), NYK_VM_UNCHECKED);
	uint64_t r0 = 99, mem = 0;

	CHECK(vm != NULL);
	CHECK(nyk_vm_exec(vm, NULL, 77, &r0, NULL) == 0);
	CHECK_EQ(r0, 0);                                  /* no mem: no length either */
	CHECK(nyk_vm_exec(vm, &mem, 8, NULL, NULL) == 0);
	o.flags |= NYK_VM_COUNT;                          /* runs in the interpreter */
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_exec(vm, &mem, 8, &r0, NULL) == 0);
	CHECK_EQ(r0, 8);
	CHECK_EQ(nyk_vm_last_insn_count(vm), 2);
	CHECK(nyk_vm_exec(vm, NULL, 0, NULL, NULL) == 0);
	o.flags &= ~(unsigned)NYK_VM_COUNT;
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	r0 = 0;
	CHECK(nyk_vm_exec(vm, &mem, 8, &r0, NULL) == 0);
	CHECK_EQ(r0, 8);
	CHECK(nyk_vm_exec(vm, NULL, 5, &r0, NULL) == 0);
	CHECK_EQ(r0, 0);
	nyk_vm_destroy(vm);
}

TEST(jit_code_and_offsets_describe_each_instruction)
{
	struct nyk_insn p[] = { MOV_K(0, 1), LDDW(2, 0x1122334455667788), ADD_X(0, 2), EXIT };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), NYK_VM_UNCHECKED);
	const uint32_t *off;
	size_t size = 0, count = 0;
	const uint8_t *code;

	CHECK(vm != NULL);
	code = nyk_vm_jit_code(vm, &size);
	off = nyk_vm_jit_offsets(vm, &count);
	CHECK(code != NULL && off != NULL);
	CHECK_EQ(count, NPROG(p));
	for (size_t pc = 0; pc < count; pc++)
		CHECK(off[pc] <= off[pc + 1]);
	CHECK(off[count] <= size);
	CHECK_EQ(off[2], off[3]);                   /* lddw's second slot has no code of its own */
	CHECK_EQ(off[1] + 10, off[2]);              /* movabs rsi, imm64 */
	CHECK(memcmp(code + off[1] + 2, &(uint64_t){ 0x1122334455667788 }, 8) == 0);
	CHECK(nyk_vm_jit_compile_ns(vm) > 0);
	nyk_vm_destroy(vm);
}

TEST(jit_blinding_hides_immediates)
{
	struct nyk_insn p[] = { LDDW(0, 0x1122334455667788), I(0x07, 0, 0, 0, 0x5a5a5a5a), I(0xb4, 2, 0, 0, 0x3c3c3c3c),
				I(0x0f, 0, 2, 0, 0), EXIT };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), NYK_VM_JIT_BLIND);
	const uint8_t *code;
	size_t size = 0;
	uint64_t r0 = 0;

	CHECK(vm != NULL);
	code = nyk_vm_jit_code(vm, &size);
	for (size_t i = 0; i + 4 <= size; i++) {
		uint32_t v;
		memcpy(&v, code + i, 4);
		CHECK_MSG(v != 0x55667788 && v != 0x11223344 && v != 0x5a5a5a5a && v != 0x3c3c3c3c,
			  "immediate in the code at byte %zu", i);
	}
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(r0, 0x1122334455667788 + 0x5a5a5a5a + 0x3c3c3c3c);
	nyk_vm_destroy(vm);
}

TEST(jit_set_opts_recompiles_and_drops_code)
{
	uint8_t mem[4] = { 7 };
	struct nyk_insn p[] = { LDXB(0, 1, 8), EXIT };   /* out of bounds: faults only when checked */
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_JIT | NYK_VM_UNCHECKED };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), 0);
	struct nyk_error err;
	uint64_t r0;

	CHECK(vm != NULL);
	nyk_error_clear(&err);
	CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, &err) == -EFAULT);
	CHECK(strstr(err.message, "ldxb: out-of-bounds 1-byte load") != NULL);
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(vm->jit && (vm->jit->flags & NYK_VM_UNCHECKED));
	o.flags = 0;
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(vm->jit == NULL);
	CHECK(nyk_vm_jit_code(vm, NULL) == NULL);
	CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, &err) == -EFAULT);   /* the interpreter */
	nyk_vm_destroy(vm);
}

TEST(jit_code_is_never_writable_and_executable)
{
	struct nyk_insn p[] = { MOV_K(0, 1), EXIT };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), 0);
	uintptr_t code;
	char line[512];
	FILE *maps;
	int found = 0;

	CHECK(vm != NULL);
	code = (uintptr_t)nyk_vm_jit_code(vm, NULL);
	maps = fopen("/proc/self/maps", "r");
	if (maps) {
		while (fgets(line, sizeof(line), maps)) {
			unsigned long lo, hi;
			char perms[8];
			if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
				continue;
			CHECK_MSG(!(perms[1] == 'w' && perms[2] == 'x'), "writable and executable mapping: %s", line);
			if (code >= lo && code < hi) {
				CHECK_STR(perms, "r-xp");
				found = 1;
			}
		}
		fclose(maps);
		CHECK(found);
	}
	nyk_vm_destroy(vm);
}

static uint64_t helper_stop(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	nyk_exec_stop(x, a + 1000);
	return 5;
}

static uint64_t helper_callback(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	uint64_t args[5] = { b, 0, 0, 0, 0 }, r = 0, sum = 0;
	for (int i = 0; i < 3; i++) {
		args[1] = (uint64_t)i;
		if (nyk_exec_call(x, a, args, &r) < 0)
			return UINT64_MAX;
		sum += r;
	}
	return sum;
}

static uint64_t helper_fail(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return (uint64_t)(int64_t)nyk_exec_fail(x, -EPERM, "helper refused %d", (int)a);
}

TEST(jit_helper_failure_names_the_call_like_the_interpreter)
{
	struct nyk_insn p[] = { MOV_K(0, 1), CALL_LOCAL(1), EXIT, MOV_K(1, 9), CALL(23), EXIT };

	for (int f = 0; f < TV_FLAVOURS; f++) {
		struct nyk_vm *vm = tv_vm();
		struct nyk_error err;
		uint64_t r0;
		CHECK(nyk_vm_register_helper(vm, 23, "fail", helper_fail, NULL) == 0);
		CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
		nyk_error_clear(&err);
		CHECK_MSG(tv_exec(vm, f, NULL, 0, &r0, &err) == -EPERM, "%s", tv_flavour_name(f));
		CHECK_STR(err.message, "helper refused 9");
		CHECK_EQ(err.insn, 4);
		nyk_vm_destroy(vm);
	}
}

/* A helper that formats a double: crashes or misbehaves if called with a misaligned stack. */
static uint64_t helper_aligned(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	char buf[64];
	volatile double v = (double)a / 4.0;
	snprintf(buf, sizeof(buf), "%.2f", v);
	return (uint64_t)strtoul(buf, NULL, 10) + (((uintptr_t)__builtin_frame_address(0) & 15) ? 1000000 : 0);
}

TEST(jit_helpers_stop_the_run_call_back_and_see_an_aligned_stack)
{
	/* stop from inside a bpf-to-bpf call: the run ends with r0 = r1 + 1000 */
	struct nyk_insn stop[] = { CALL_LOCAL(2), MOV_K(0, 1), EXIT, MOV_K(1, 7), CALL(20), MOV_K(0, 2), EXIT };
	/* callback: helper 21 calls the function at 6 with r1 = 10, r2 = i: returns r1 * r2 */
	struct nyk_insn cb[] = { I(0x18, 1, NYK_PSEUDO_FUNC, 0, 5), LDDW_HI(0), MOV_K(2, 10), CALL(21), ADD_K(0, 1),
				 EXIT, MOV_X(0, 1), I(0x2f, 0, 2, 0, 0), EXIT };
	/* helper 22 at depth 0, 1 and 2 */
	struct nyk_insn al[] = { MOV_K(1, 40), CALL(22), MOV_X(6, 0), CALL_LOCAL(2), ADD_X(0, 6), EXIT,
				 MOV_K(1, 80), CALL(22), MOV_X(7, 0), CALL_LOCAL(2), ADD_X(0, 7), EXIT,
				 MOV_K(1, 120), CALL(22), EXIT };
	unsigned flavours[] = { 0, NYK_VM_UNCHECKED };

	for (size_t f = 0; f < 2; f++) {
		struct nyk_vm *vm;
		uint64_t r0 = 0;

		vm = tv_vm();
		CHECK(nyk_vm_register_helper(vm, 20, "stop", helper_stop, NULL) == 0);
		CHECK(nyk_vm_register_helper(vm, 21, "callback", helper_callback, NULL) == 0);
		CHECK(nyk_vm_register_helper(vm, 22, "aligned", helper_aligned, NULL) == 0);
		{
			struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_JIT | flavours[f] };
			CHECK(nyk_vm_set_opts(vm, &o) == 0);
		}
		CHECK(nyk_vm_load(vm, stop, NPROG(stop), NULL) == 0);
		CHECK(vm->jit != NULL);
		CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
		CHECK_EQ(r0, 1007);
		CHECK(nyk_vm_load(vm, cb, NPROG(cb), NULL) == 0);
		CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
		CHECK_EQ(r0, 0 + 10 + 20 + 1);
		CHECK(nyk_vm_load(vm, al, NPROG(al), NULL) == 0);
		CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
		CHECK_EQ(r0, 10 + 20 + 30);
		nyk_vm_destroy(vm);
	}
}

/*
 * A call site saves only the r6..r9 its callee, or one the callee calls,
 * may write; a jump from one function into another makes every call save
 * all four. Either way the caller's r6..r9 survive.
 */
TEST(jit_calls_save_what_the_callees_write)
{
#define MUL_K(d, imm) I(0x27, d, 0, 0, imm)
	struct nyk_insn saves[] = {
		MOV_K(6, 1), MOV_K(7, 2), MOV_K(8, 3), MOV_K(9, 4), CALL_LOCAL(12),
		MOV_X(1, 7), MUL_K(1, 10), ADD_X(1, 6), MOV_X(2, 8), MUL_K(2, 100), ADD_X(1, 2),
		MOV_X(2, 9), MUL_K(2, 1000), ADD_X(1, 2), MUL_K(0, 10000), ADD_X(0, 1), EXIT,
		/* 17: writes r6, r7, r9 and calls 23, which writes r8 */
		MOV_K(6, 9), MOV_K(7, 9), MOV_K(9, 9), CALL_LOCAL(2), ADD_X(0, 6), EXIT,
		/* 23 */
		MOV_K(8, 9), MOV_K(0, 5), EXIT,
	};
	struct nyk_insn cross[] = {
		MOV_K(6, 1), CALL_LOCAL(5), MOV_X(7, 0), CALL_LOCAL(5), ADD_X(0, 7), ADD_X(0, 6), EXIT,
		/* 7: jumps into the function at 9, past its first instruction */
		MOV_K(0, 10), JA(1),
		/* 9 */
		MOV_K(0, 20), MOV_K(6, 7), EXIT,
	};
#undef MUL_K
	uint64_t r0 = 0;

	CHECK(tv_run_all(saves, NPROG(saves), NULL, 0, &r0));
	CHECK_EQ(r0, 14 * 10000 + 4321);
	CHECK(tv_run_all(cross, NPROG(cross), NULL, 0, &r0));
	CHECK_EQ(r0, 20 + 10 + 1);
}

/* nyk_vm_jit_function: the compiled code itself, only where nyk_vm_exec would call it straight away. */
TEST(jit_function_is_the_code_nyk_vm_exec_calls)
{
	struct nyk_insn p[] = { MOV_X(0, 2), ADD_K(0, 5), LDXB(1, 1, 0), ADD_X(0, 1), EXIT };
	struct nyk_insn h[] = { CALL(20), EXIT };
	uint8_t mem[4] = { 7, 0, 0, 0 };
	struct nyk_vm *vm = jit_vm(p, NPROG(p), NYK_VM_UNCHECKED), *vc = jit_vm(p, NPROG(p), 0);
	nyk_jit_fn fn;
	uint64_t r0 = 0;

	CHECK(vm && vc);
	fn = nyk_vm_jit_function(vm);
	CHECK(fn != NULL);
	CHECK(fn(mem, sizeof(mem), &r0) == 0);
	CHECK_EQ(r0, 4 + 5 + 7);
	CHECK(nyk_vm_jit_function(vc) == NULL);   /* checked code needs a run */
	CHECK(nyk_vm_jit_function(NULL) == NULL);
	nyk_vm_destroy(vc);
	CHECK(nyk_vm_register_helper(vm, 20, "stop", helper_stop, NULL) == 0);
	CHECK(nyk_vm_load(vm, h, NPROG(h), NULL) == 0);
	CHECK(nyk_vm_jit_function(vm) == NULL);   /* helpers need a run too */
	nyk_vm_destroy(vm);
}

/* The lddw resolver of the inline-lookup test: map index 0 is the map in `user`. */
static int resolve_test_map(void *user, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value,
			    struct nyk_error *err)
{
	(void)next_imm;
	if (src != NYK_PSEUDO_MAP_IDX || imm != 0)
		return nyk_error_set(err, -EINVAL, "no such map");
	*value = (uint64_t)(uintptr_t)user;
	return 0;
}

static uint64_t helper_null(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return 0;
}

static struct nyk_vm *lookup_vm(struct nyk_map *map, const struct nyk_insn *p, size_t n, unsigned flags)
{
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = flags };
	struct nyk_vm *vm = nyk_vm_create();

	if (!vm || nyk_vm_register_helper(vm, 1, "map_lookup_elem", nyk_helper_fn_of(1), NULL) < 0 ||
	    nyk_vm_set_opts(vm, &o) < 0) {
		nyk_vm_destroy(vm);
		return NULL;
	}
	nyk_vm_set_lddw_resolver(vm, resolve_test_map, map);
	if (nyk_vm_load(vm, p, n, NULL) < 0) {
		nyk_vm_destroy(vm);
		return NULL;
	}
	return vm;
}

/*
 * bpf_map_lookup_elem on an array map, compiled inline in unchecked code:
 * the same values as the helper (the interpreter), NULL out of range and
 * for a NULL key, and no helper call left (the code runs without a run).
 */
TEST(jit_inlines_array_map_lookups)
{
	/* r0 = lookup(map, mem[0] ? &index : NULL) ? *(u64 *)value + 1 : 0; index = mem[1] */
	struct nyk_insn p[] = { LDXW(3, 1, 0), LDXW(4, 1, 4), I(0x63, 10, 4, -4, 0), MOV_K(2, 0),
				JEQ_K(3, 0, 2), MOV_X(2, 10), ADD_K(2, -4), I(0x18, 1, NYK_PSEUDO_MAP_IDX, 0, 0),
				LDDW_HI(0), CALL(1), JEQ_K(0, 0, 2), LDXDW(0, 0, 0), ADD_K(0, 1), EXIT };
	static const uint32_t sizes[] = { 8, 12, 24, 100 };   /* strides 8, 16, 24, 104 */

	for (size_t z = 0; z < NPROG(sizes); z++) {
		struct nyk_map_def d = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = sizes[z], .max_entries = 5,
					 .name = "arr" };
		struct nyk_map *m = NULL;
		struct nyk_vm *vi, *vj;
		uint8_t value[128] = { 0 };

		CHECK_EQ(nyk_map_create(&d, NULL, &m, NULL), 0);
		for (uint32_t k = 0; k < 5; k++) {
			uint64_t v = 1000 * (k + 1) + sizes[z];
			memcpy(value, &v, 8);
			CHECK_EQ(nyk_map_update(m, &k, value, NYK_ANY), 0);
		}
		vi = lookup_vm(m, p, NPROG(p), NYK_VM_UNCHECKED);
		vj = lookup_vm(m, p, NPROG(p), NYK_VM_UNCHECKED | NYK_VM_JIT);
		CHECK(vi && vj);
		CHECK(vj->jit && vj->jit->direct && !vj->jit->helpers);
		for (uint32_t k = 0; k < 8; k++) {
			for (uint32_t has_key = 0; has_key < 2; has_key++) {
				uint32_t mem[2] = { has_key, k == 7 ? UINT32_MAX : k };
				uint64_t ri = 1, rj = 2, want = has_key && k < 5 ? 1000 * (k + 1) + sizes[z] + 1 : 0;
				CHECK(nyk_vm_exec(vi, mem, sizeof(mem), &ri, NULL) == 0);
				CHECK(nyk_vm_exec(vj, mem, sizeof(mem), &rj, NULL) == 0);
				CHECK_EQ(ri, want);
				CHECK_MSG(rj == want, "value size %u, index %u, key %u: jit %" PRIu64 ", want %" PRIu64,
					  sizes[z], mem[1], has_key, rj, want);
			}
		}
		/* replacing the helper after load drops the inline lookups */
		CHECK(nyk_vm_register_helper(vj, 1, "null", helper_null, NULL) == 0);
		CHECK(vj->jit && vj->jit->helpers && !vj->jit->inlined);
		{
			uint32_t mem[2] = { 1, 0 };
			uint64_t rj = 5;
			CHECK(nyk_vm_exec(vj, mem, sizeof(mem), &rj, NULL) == 0);
			CHECK_EQ(rj, 0);
		}
		nyk_vm_destroy(vi);
		nyk_vm_destroy(vj);
		/* checked code keeps the helper (it checks the key's memory) */
		vj = lookup_vm(m, p, NPROG(p), NYK_VM_JIT);
		CHECK(vj && vj->jit && vj->jit->helpers);
		nyk_vm_destroy(vj);
		nyk_map_destroy(m);
	}
}

TEST(jit_compiles_a_large_program_quickly)
{
	/* 14,000 instructions of mixed ALU, memory and branches. */
	enum { N = 14000 };
	struct nyk_insn *p = malloc(N * sizeof(*p));
	struct nyk_vm *vm;
	size_t n = 0;
	uint64_t r0 = 0, best = UINT64_MAX;
	uint8_t mem[64] = { 1 };

	CHECK(p != NULL);
	p[n++] = MOV_K(0, 0);
	while (n < N - 3) {
		int16_t o = (int16_t)(n % 64);
		int32_t k = (int32_t)n;
		switch (n % 7) {
		case 0: p[n] = ADD_K(0, k); break;
		case 1: p[n] = LDXB(2, 1, o); break;
		case 2: p[n] = ADD_X(0, 2); break;
		case 3: p[n] = JEQ_K(2, 200, 2); break;
		case 4: p[n] = I(0xaf, 0, 2, 0, 0); break;
		case 5: p[n] = STXB(1, 0, o); break;
		default: p[n] = I(0x77, 0, 0, 0, 1); break;
		}
		n++;
	}
	p[n++] = MOV_K(3, 0);
	p[n++] = MOV_K(3, 1);
	p[n++] = EXIT;
	for (int i = 0; i < 5; i++) {
		vm = jit_vm(p, n, 0);
		CHECK(vm != NULL);
		if (nyk_vm_jit_compile_ns(vm) < best)
			best = nyk_vm_jit_compile_ns(vm);
		CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, NULL) == 0);
		nyk_vm_destroy(vm);
	}
	printf("    %zu instructions compiled in %.1f us (best of 5)\n", n, (double)best / 1000.0);
	free(p);
}

#endif
