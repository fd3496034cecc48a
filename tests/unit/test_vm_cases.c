/*
 * test_vm_cases.c - the interpreter's edge cases, calls, faults, budget,
 * tracing, helpers and options.
 */
#include <errno.h>
#include <stdlib.h>

#include "test.h"
#include "test_vm.h"

/* Run p in every flavour; r0 must be `want`. */
#define CHECK_RUNS(p, mem, len, want)                                                  \
	do {                                                                           \
		uint64_t r0_ = 0;                                                      \
		CHECK(tv_run_all(p, NPROG(p), mem, len, &r0_));                        \
		CHECK_EQ(r0_, want);                                                   \
	} while (0)

/* ---- arithmetic edge cases (also swept by test_vm.c) --------------------- */

TEST(vm_division_and_modulo_by_zero)
{
	struct nyk_insn div64[] = { LDDW(0, 0x123456789), MOV_K(1, 0), I(0x3f, 0, 1, 0, 0), EXIT };
	struct nyk_insn mod64[] = { LDDW(0, 0x123456789), MOV_K(1, 0), I(0x9f, 0, 1, 0, 0), EXIT };
	struct nyk_insn mod32[] = { LDDW(0, 0xabcdef0123456789), MOV_K(1, 0), I(0x9c, 0, 1, 0, 0), EXIT };
	struct nyk_insn div32k[] = { LDDW(0, 0xabcdef0123456789), I(0x34, 0, 0, 0, 0), EXIT };
	struct nyk_insn smod64[] = { LDDW(0, -5), MOV_K(1, 0), I(0x9f, 0, 1, 1, 0), EXIT };

	CHECK_RUNS(div64, NULL, 0, 0);
	CHECK_RUNS(mod64, NULL, 0, 0x123456789);
	CHECK_RUNS(mod32, NULL, 0, 0x23456789);
	CHECK_RUNS(div32k, NULL, 0, 0);
	CHECK_RUNS(smod64, NULL, 0, (uint64_t)-5);
}

TEST(vm_signed_division_overflow)
{
	struct nyk_insn sdiv64[] = { LDDW(0, INT64_MIN), I(0x37, 0, 0, 1, -1), EXIT };
	struct nyk_insn smod64[] = { LDDW(0, INT64_MIN), MOV_K(1, -1), I(0x9f, 0, 1, 1, 0), EXIT };
	struct nyk_insn sdiv32[] = { LDDW(0, 0xffffffff80000000), I(0x34, 0, 0, 1, -1), EXIT };
	struct nyk_insn smod32[] = { MOV_K(0, INT32_MIN), I(0x94, 0, 0, 1, -1), EXIT };
	struct nyk_insn trunc[] = { MOV_K(0, -7), I(0x37, 0, 0, 1, 2), EXIT };
	struct nyk_insn tmod[] = { MOV_K(0, -7), I(0x97, 0, 0, 1, 2), EXIT };

	CHECK_RUNS(sdiv64, NULL, 0, (uint64_t)INT64_MIN);
	CHECK_RUNS(smod64, NULL, 0, 0);
	CHECK_RUNS(sdiv32, NULL, 0, 0x80000000);
	CHECK_RUNS(smod32, NULL, 0, 0);
	CHECK_RUNS(trunc, NULL, 0, (uint64_t)-3);
	CHECK_RUNS(tmod, NULL, 0, (uint64_t)-1);
}

TEST(vm_alu32_zero_extends_and_alu64_sign_extends_imm)
{
	struct nyk_insn add32[] = { LDDW(0, 0xffffffff00000001), I(0x04, 0, 0, 0, 1), EXIT };
	struct nyk_insn add64[] = { MOV_K(0, 0), I(0x07, 0, 0, 0, -1), EXIT };
	struct nyk_insn mov32[] = { I(0xb4, 0, 0, 0, -1), EXIT };
	struct nyk_insn movsx32[] = { MOV_K(1, 0x80), I(0xbc, 0, 1, 8, 0), EXIT };
	struct nyk_insn and32[] = { LDDW(0, UINT64_MAX), I(0x54, 0, 0, 0, -1), EXIT };

	CHECK_RUNS(add32, NULL, 0, 2);
	CHECK_RUNS(add64, NULL, 0, UINT64_MAX);
	CHECK_RUNS(mov32, NULL, 0, 0xffffffff);
	CHECK_RUNS(movsx32, NULL, 0, 0xffffff80);
	CHECK_RUNS(and32, NULL, 0, 0xffffffff);
}

TEST(vm_shifts_mask_their_amount)
{
	struct nyk_insn lsh64[] = { MOV_K(0, 1), MOV_K(1, 65), I(0x6f, 0, 1, 0, 0), EXIT };
	struct nyk_insn lsh32[] = { MOV_K(0, 1), I(0x64, 0, 0, 0, 33), EXIT };
	struct nyk_insn arsh64[] = { LDDW(0, INT64_MIN), I(0xc7, 0, 0, 0, 63 + 64), EXIT };
	struct nyk_insn arsh32[] = { LDDW(0, 0x80000000), MOV_K(1, 31 + 32), I(0xcc, 0, 1, 0, 0), EXIT };
	struct nyk_insn rsh32[] = { LDDW(0, 0xffffffff80000000), I(0x74, 0, 0, 0, 31), EXIT };

	CHECK_RUNS(lsh64, NULL, 0, 2);
	CHECK_RUNS(lsh32, NULL, 0, 2);
	CHECK_RUNS(arsh64, NULL, 0, UINT64_MAX);
	CHECK_RUNS(arsh32, NULL, 0, 0xffffffff);
	CHECK_RUNS(rsh32, NULL, 0, 1);
}

TEST(vm_same_register_as_dst_and_src)
{
	struct nyk_insn sub[] = { MOV_K(0, 9), I(0x1f, 0, 0, 0, 0), EXIT };
	struct nyk_insn mul[] = { MOV_K(0, 9), I(0x2f, 0, 0, 0, 0), EXIT };
	struct nyk_insn jeq[] = { MOV_K(0, 9), I(0x1d, 0, 0, 1, 0), MOV_K(0, 0), EXIT };

	CHECK_RUNS(sub, NULL, 0, 0);
	CHECK_RUNS(mul, NULL, 0, 81);
	CHECK_RUNS(jeq, NULL, 0, 9);
}

TEST(vm_byte_swaps)
{
	struct nyk_insn be16[] = { LDDW(0, 0x1122334455667788), I(0xdc, 0, 0, 0, 16), EXIT };
	struct nyk_insn bswap32[] = { LDDW(0, 0x1122334455667788), I(0xd7, 0, 0, 0, 32), EXIT };
	struct nyk_insn bswap64[] = { LDDW(0, 0x1122334455667788), I(0xd7, 0, 0, 0, 64), EXIT };
	struct nyk_insn le16[] = { LDDW(0, 0x1122334455667788), I(0xd4, 0, 0, 0, 16), EXIT };
	const uint16_t one = 1;
	int le = *(const uint8_t *)&one;

	CHECK_RUNS(be16, NULL, 0, le ? 0x8877 : 0x7788);
	CHECK_RUNS(bswap32, NULL, 0, 0x88776655);
	CHECK_RUNS(bswap64, NULL, 0, 0x8877665544332211);
	CHECK_RUNS(le16, NULL, 0, le ? 0x7788 : 0x8877);
}

TEST(vm_loads_and_stores_unaligned_and_sign_extending)
{
	uint8_t mem[16] = { 0, 0xf0, 0xf0, 0xf0, 0xf0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct nyk_insn ldxsw[] = { I(0x81, 0, 1, 1, 0), EXIT };
	struct nyk_insn stx[] = { LDDW(2, 0x0102030405060708), STXDW(1, 2, 3), LDXDW(0, 1, 3), EXIT };

	CHECK_RUNS(ldxsw, mem, sizeof(mem), 0xfffffffff0f0f0f0);
	CHECK_RUNS(stx, mem, sizeof(mem), 0x0102030405060708);
}

TEST(vm_atomics_fetch_zero_extend_and_cmpxchg)
{
	uint64_t mem[2] = { 0xfffffffffffffff0, 0 };
	/* fetch add 32: src gets the old low word, zero-extended. */
	struct nyk_insn fadd32[] = { LDDW(2, 0xffffffff00000001), I(0xc3, 1, 2, 0, 0x01), MOV_X(0, 2), EXIT };
	/* cmpxchg 64 succeeds: r0 = old, memory = src. */
	struct nyk_insn cx[] = { LDDW(0, 0xfffffffffffffff0), MOV_K(2, 5), I(0xdb, 1, 2, 0, 0xf1), LDXDW(3, 1, 0),
				 ADD_X(0, 3), EXIT };

	CHECK_RUNS(fadd32, mem, sizeof(mem), 0xfffffff0);
	CHECK_EQ(mem[0], 0xfffffffffffffff1);
	mem[0] = 0xfffffffffffffff0;
	CHECK_RUNS(cx, mem, sizeof(mem), 0xfffffffffffffff0 + 5);
}

/* ---- calls ---------------------------------------------------------------- */

/* A chain of `calls` nested bpf-to-bpf calls; each callee adds 1 to r0. */
static size_t call_chain(struct nyk_insn *p, int calls)
{
	size_t n = 0;

	p[n++] = MOV_K(0, 0);
	for (int i = 0; i < calls; i++) {
		p[n++] = CALL_LOCAL(1);   /* to the next function, 2 slots on */
		p[n++] = EXIT;
		p[n++] = ADD_K(0, 1);
	}
	p[n++] = EXIT;
	return n;
}

TEST(vm_calls_up_to_eight_frames)
{
	struct nyk_insn p[64];
	size_t n = call_chain(p, NYK_MAX_CALL_DEPTH - 1);

	uint64_t r0 = 0;

	CHECK(tv_run_all(p, n, NULL, 0, &r0));
	CHECK_EQ(r0, NYK_MAX_CALL_DEPTH - 1);
}

TEST(vm_ninth_frame_faults_in_every_flavour)
{
	struct nyk_insn p[64];
	size_t n = call_chain(p, NYK_MAX_CALL_DEPTH);
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;

	CHECK(nyk_vm_load(vm, p, n, NULL) == 0);
	for (int f = 0; f < TV_FLAVOURS; f++) {
		uint64_t r0;
		nyk_error_clear(&err);
		CHECK_MSG(tv_exec(vm, f, NULL, 0, &r0, &err) == -EFAULT, "%s", tv_flavour_name(f));
		CHECK_STR(err.message, "call local: call depth exceeds 8 frames");
		CHECK_EQ(err.insn, 1 + 3 * (NYK_MAX_CALL_DEPTH - 1));
	}
	nyk_vm_destroy(vm);
}

TEST(vm_calls_save_r6_to_r9_and_move_r10)
{
	struct nyk_insn p[] = {
		MOV_K(6, 6), MOV_K(9, 9), STDW(10, -8, 1000), MOV_X(1, 10),
		CALL_LOCAL(4),                  /* 4 */
		LDXDW(2, 10, -8), ADD_X(0, 2), ADD_X(0, 6), /* 5..7: r0 += caller's slot, r6 */
		EXIT,                           /* 8 */
		/* callee at 9: r0 = caller r10 - own r10; writes the caller's slot through r1 */
		MOV_K(6, 100), MOV_K(9, 100), STDW(10, -8, 7), MOV_X(0, 1), I(0x1f, 0, 10, 0, 0),
		STDW(1, -8, 2000), EXIT,
	};
	CHECK_RUNS(p, NULL, 0, 512 + 2000 + 6);
}

TEST(vm_callx_to_functions_and_helpers)
{
	struct nyk_insn func[] = { I(0x18, 3, NYK_PSEUDO_FUNC, 0, 3), LDDW_HI(0), CALLX(3), EXIT,
				   MOV_K(0, 5), EXIT };
	struct nyk_insn helper[] = { MOV_K(1, 1), MOV_K(2, 1), MOV_K(3, 0), MOV_K(4, 0), MOV_K(5, 0), MOV_K(7, 1),
				     CALLX(7), EXIT };
	struct nyk_insn not_entry[] = { I(0x18, 3, NYK_PSEUDO_FUNC, 0, 4), LDDW_HI(0), ADD_K(3, 8), CALLX(3), EXIT,
					MOV_K(0, 5), MOV_K(0, 6), EXIT };
	struct nyk_insn unknown[] = { MOV_K(7, 99), CALLX(7), EXIT };

	CHECK_RUNS(func, NULL, 0, 5);
	CHECK_RUNS(helper, NULL, 0, 3);
	CHECK(tv_fault_all(not_entry, NPROG(not_entry), NULL, 0, -EFAULT,
			   "not a function of this program nor a registered helper", 3));
	CHECK(tv_fault_all(unknown, NPROG(unknown), NULL, 0, -EFAULT,
			   "callx to 0x63 (r7): not a function of this program nor a registered helper", 1));
}

TEST(vm_helpers_get_their_arguments_and_check_memory)
{
	uint64_t region[4] = { 0 }, ro[2] = { 0 };
	uint8_t mem[16] = { 0 };
	struct nyk_insn args[] = { MOV_K(1, 1), MOV_K(2, 2), MOV_K(3, 3), MOV_K(4, 4), MOV_K(5, 5), CALL(1), EXIT };
	/* r0 = check(mem, 16) * 1 + check(mem+1, 16) * 2 + check(r10-512, 512) * 4 + check(r10-520, 8) * 8 */
	struct nyk_insn check[] = {
		MOV_X(6, 1), MOV_K(7, 0),
		MOV_X(1, 6), MOV_K(2, 16), MOV_K(3, NYK_MEM_READ), CALL(2), ADD_X(7, 0),
		MOV_X(1, 6), ADD_K(1, 1), MOV_K(2, 16), MOV_K(3, NYK_MEM_READ), CALL(2), I(0x27, 0, 0, 0, 2), ADD_X(7, 0),
		MOV_X(1, 10), ADD_K(1, -512), MOV_K(2, 512), MOV_K(3, NYK_MEM_WRITE), CALL(2), I(0x27, 0, 0, 0, 4), ADD_X(7, 0),
		MOV_X(1, 10), ADD_K(1, -520), MOV_K(2, 8), MOV_K(3, NYK_MEM_READ), CALL(2), I(0x27, 0, 0, 0, 8), ADD_X(7, 0),
		MOV_X(0, 7), EXIT,
	};
	struct nyk_insn regions[] = {
		LDDW(1, (uintptr_t)region), MOV_K(2, 32), MOV_K(3, NYK_MEM_WRITE), CALL(2), MOV_X(7, 0),
		LDDW(1, (uintptr_t)ro), MOV_K(2, 16), MOV_K(3, NYK_MEM_WRITE), CALL(2), I(0x27, 0, 0, 0, 2), ADD_X(7, 0),
		LDDW(1, (uintptr_t)ro), MOV_K(2, 16), MOV_K(3, NYK_MEM_READ), CALL(2), I(0x27, 0, 0, 0, 4), ADD_X(7, 0),
		MOV_X(0, 7), EXIT,
	};
	struct nyk_vm *vm = tv_vm();
	uint64_t r0 = 0;
	int64_t f = -EFAULT;

	CHECK_RUNS(args, NULL, 0, 1 + 4 + 9 + 16 + 25);
	CHECK_RUNS(check, mem, sizeof(mem), (uint64_t)(2 * f + 8 * f));

	CHECK(nyk_vm_add_region(vm, region, sizeof(region), NYK_MEM_READ | NYK_MEM_WRITE, NULL) == 0);
	CHECK(nyk_vm_add_region(vm, ro, sizeof(ro), NYK_MEM_READ, NULL) == 0);
	CHECK(nyk_vm_load(vm, regions, NPROG(regions), NULL) == 0);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(r0, (uint64_t)(2 * f));
	nyk_vm_destroy(vm);
}

TEST(vm_helper_user_data_names_and_unknown_ids)
{
	struct nyk_insn user[] = { CALL(3), EXIT };
	struct nyk_insn unknown[] = { MOV_K(0, 0), CALL(123), EXIT };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;
	uint64_t r0 = 0;

	nyk_vm_set_user_data(vm, (void *)(uintptr_t)0x1000);
	CHECK(nyk_vm_load(vm, user, NPROG(user), NULL) == 0);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(r0, 0x1001);
	CHECK_STR(nyk_vm_helper_name(vm, 1), "sum5");
	CHECK(nyk_vm_helper_name(vm, 77) == NULL);

	nyk_error_clear(&err);
	CHECK(nyk_vm_load(vm, unknown, NPROG(unknown), &err) == -ENOENT);
	CHECK_STR(err.message, "unknown helper 123");
	CHECK_EQ(err.insn, 1);
	/* The earlier program stays loaded. */
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(r0, 0x1001);
	nyk_vm_destroy(vm);
}

/* A helper that runs another vm (the user data) from inside a run. */
static uint64_t helper_nested(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	uint64_t r0 = 0;
	uint8_t mem[8] = { (uint8_t)a };
	if (nyk_vm_exec(nyk_exec_user_data(x), mem, sizeof(mem), &r0, NULL) < 0)
		return UINT64_MAX;
	return r0;
}

TEST(vm_runs_again_and_reenters_from_a_helper)
{
	struct nyk_insn inner[] = { LDXB(0, 1, 0), I(0x27, 0, 0, 0, 3), EXIT };
	struct nyk_insn outer[] = { STDW(10, -8, 40), MOV_K(1, 7), CALL(9), LDXDW(1, 10, -8), ADD_X(0, 1), EXIT };
	struct nyk_vm *a = tv_vm(), *b = tv_vm();
	uint64_t r0 = 0;

	CHECK(nyk_vm_load(b, inner, NPROG(inner), NULL) == 0);
	CHECK(nyk_vm_register_helper(a, 9, "nested", helper_nested, NULL) == 0);
	nyk_vm_set_user_data(a, b);
	CHECK(nyk_vm_load(a, outer, NPROG(outer), NULL) == 0);
	for (int i = 0; i < 3; i++) {
		r0 = 0;
		CHECK(nyk_vm_exec(a, NULL, 0, &r0, NULL) == 0);
		CHECK_EQ(r0, 21 + 40);
	}
	nyk_vm_destroy(a);
	nyk_vm_destroy(b);
}

/* ---- faults in checked mode ---------------------------------------------- */

TEST(vm_out_of_bounds_loads_and_stores_fault)
{
	uint8_t mem[16] = { 0 };
	struct nyk_insn load[] = { MOV_K(0, 0), LDXW(0, 1, 14), EXIT };
	struct nyk_insn store[] = { MOV_K(0, 0), I(0x62, 1, 0, -4, 1), EXIT };
	struct nyk_insn null[] = { MOV_K(3, 0), LDXB(0, 3, 0), EXIT };
	struct nyk_insn above_stack[] = { LDXDW(0, 10, 0), EXIT };
	struct nyk_insn below_stack[] = { STDW(10, -520, 1), MOV_K(0, 0), EXIT };
	struct nyk_insn stack_ok[] = { STDW(10, -512, 1), LDXDW(0, 10, -512), EXIT };

	CHECK(tv_fault_all(load, NPROG(load), mem, sizeof(mem), -EFAULT, "ldxw: out-of-bounds 4-byte load at 0x", 1));
	CHECK(tv_fault_all(load, NPROG(load), mem, sizeof(mem), -EFAULT, " (r1 + 14): crosses the end of mem", 1));
	CHECK(tv_fault_all(store, NPROG(store), mem, sizeof(mem), -EFAULT,
			   "stw: out-of-bounds 4-byte store at 0x", 1));
	CHECK(tv_fault_all(store, NPROG(store), mem, sizeof(mem), -EFAULT,
			   "(r1 - 4): not in mem, stack or a registered region", 1));
	CHECK(tv_fault_all(null, NPROG(null), mem, sizeof(mem), -EFAULT,
			   "ldxb: out-of-bounds 1-byte load at 0x0 (r3 + 0): not in mem, stack or a registered region", 1));
	CHECK(tv_fault_all(above_stack, NPROG(above_stack), NULL, 0, -EFAULT, "(r10 + 0): not in mem", 0));
	CHECK(tv_fault_all(below_stack, NPROG(below_stack), NULL, 0, -EFAULT,
			   "(r10 - 520): below the current stack frame", 0));
	CHECK_RUNS(stack_ok, NULL, 0, 1);
}

TEST(vm_dead_callee_frame_faults)
{
	/* The callee returns a pointer into its own frame; the caller reads it after the return. */
	struct nyk_insn p[] = { CALL_LOCAL(2), LDXDW(0, 0, 0), EXIT, STDW(10, -8, 5), MOV_X(0, 10), ADD_K(0, -8), EXIT };
	CHECK(tv_fault_all(p, NPROG(p), NULL, 0, -EFAULT, "ldxdw: out-of-bounds 8-byte load at 0x", 1));
	CHECK(tv_fault_all(p, NPROG(p), NULL, 0, -EFAULT, "(r0 + 0): below the current stack frame", 1));
}

TEST(vm_regions_allow_what_their_flags_say)
{
	uint64_t rw[2] = { 5, 6 }, ro[2] = { 7, 8 };
	struct nyk_insn p[] = {
		LDDW(2, (uintptr_t)rw), LDDW(3, (uintptr_t)ro),
		LDXDW(0, 2, 8), LDXDW(4, 3, 0), ADD_X(0, 4), STXDW(2, 0, 0),   /* rw[0] = rw[1] + ro[0] */
		STXDW(3, 0, 8),                                               /* refused: read-only */
		EXIT,
	};
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;
	uint64_t r0;

	CHECK(nyk_vm_add_region(vm, rw, sizeof(rw), NYK_MEM_READ | NYK_MEM_WRITE, NULL) == 0);
	CHECK(nyk_vm_add_region(vm, ro, sizeof(ro), NYK_MEM_READ, NULL) == 0);
	CHECK(nyk_vm_add_region(vm, ro, 0, NYK_MEM_READ, NULL) == -EINVAL);
	CHECK(nyk_vm_add_region(vm, ro, 8, 4, NULL) == -EINVAL);
	CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
	nyk_error_clear(&err);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, &err) == -EFAULT);
	CHECK_EQ(err.insn, 8);
	CHECK(strstr(err.message, "stxdw: out-of-bounds 8-byte store at") != NULL);
	CHECK(strstr(err.message, "(r3 + 8): the region is read-only") != NULL);
	CHECK_EQ(rw[0], 13);
	nyk_vm_clear_regions(vm);
	nyk_error_clear(&err);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, &err) == -EFAULT);
	CHECK_EQ(err.insn, 4);
	nyk_vm_destroy(vm);
}

TEST(vm_misaligned_atomic_faults_in_checked_mode)
{
	uint64_t mem[2] = { 0 };
	struct nyk_insn p[] = { MOV_K(2, 1), I(0xdb, 1, 2, 4, 0x00), EXIT };
	struct nyk_insn p32[] = { MOV_K(2, 1), I(0xc3, 1, 2, 6, 0x01), EXIT };
	struct nyk_insn ok[] = { MOV_K(2, 1), I(0xc3, 1, 2, 4, 0x00), LDXW(0, 1, 4), EXIT };

	CHECK(tv_fault_all(p, NPROG(p), mem, sizeof(mem), -EFAULT,
			   "lock add: misaligned 8-byte atomic at 0x", 1));
	CHECK(tv_fault_all(p, NPROG(p), mem, sizeof(mem), -EFAULT, "(r1 + 4): must be 8-byte aligned", 1));
	CHECK(tv_fault_all(p32, NPROG(p32), mem, sizeof(mem), -EFAULT, "lock fetch add32: misaligned 4-byte", 1));
	CHECK_RUNS(ok, mem, sizeof(mem), 1);
}

TEST(vm_packet_load_out_of_bounds_ends_the_program_with_zero)
{
	uint8_t mem[4] = { 1, 2, 3, 4 };
	/* Out of bounds inside a subprogram ends the whole program, in every flavour. */
	struct nyk_insn p[] = { MOV_K(0, 9), CALL_LOCAL(2), MOV_K(0, 7), EXIT, I(0x28, 0, 0, 0, 3), EXIT };
	struct nyk_insn inb[] = { I(0x28, 0, 0, 0, 2), EXIT };

	CHECK_RUNS(p, mem, sizeof(mem), 0);
	CHECK_RUNS(inb, mem, sizeof(mem), 0x0304);
}

/* ---- budget, counting, tracing ------------------------------------------- */

TEST(vm_budget_stops_endless_loops)
{
	struct nyk_insn loop[] = { MOV_K(0, 0), ADD_K(0, 1), JA(-2), EXIT };
	struct nyk_insn three[] = { MOV_K(0, 1), MOV_K(0, 2), EXIT };
	struct nyk_vm_opts o = { .size = sizeof(o), .insn_budget = 1000 };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;
	uint64_t r0;

	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_load(vm, loop, NPROG(loop), NULL) == 0);
	for (int f = 0; f < TV_FLAVOURS; f++) {
		if (!tv_flavour_checked(f))
			continue;
		nyk_error_clear(&err);
		CHECK_MSG(tv_exec(vm, f, NULL, 0, &r0, &err) == -ELOOP, "%s", tv_flavour_name(f));
		CHECK_STR(err.message, "instruction budget of 1000 exhausted");
		CHECK_EQ(err.code, -ELOOP);
		CHECK_EQ(err.insn, 2);   /* 1000 = mov + 499 * (add, ja) + add; the next is the ja */
	}
	/* A budget of N allows exactly N instructions. */
	CHECK(nyk_vm_load(vm, three, NPROG(three), NULL) == 0);
	o.insn_budget = 3;
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	o.insn_budget = 2;
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	nyk_error_clear(&err);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, &err) == -ELOOP);
	CHECK_EQ(err.insn, 2);
	nyk_vm_destroy(vm);
}

TEST(vm_counts_executed_instructions)
{
	struct nyk_insn p[] = { MOV_K(0, 0), MOV_K(1, 5), ADD_X(0, 1), ADD_K(1, -1), JNE_K(1, 0, -3), EXIT };
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_COUNT };
	struct nyk_vm *vm = tv_vm();
	uint64_t r0;

	CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(r0, 15);
	CHECK_EQ(nyk_vm_last_insn_count(vm), 2 + 5 * 3 + 1);
	o.flags = NYK_VM_COUNT | NYK_VM_UNCHECKED;
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_exec(vm, NULL, 0, &r0, NULL) == 0);
	CHECK_EQ(nyk_vm_last_insn_count(vm), 2 + 5 * 3 + 1);
	nyk_vm_destroy(vm);
}

struct trace_log {
	size_t n;
	size_t pc[16];
	unsigned changed[16], depth[16];
	uint64_t r0[16];
};

static void log_trace(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
		      unsigned changed_mask, unsigned depth)
{
	struct trace_log *t = user;
	if (t->n < 16) {
		t->pc[t->n] = pc;
		t->changed[t->n] = changed_mask;
		t->depth[t->n] = depth;
		t->r0[t->n] = regs[0];
	}
	t->n++;
}

TEST(vm_trace_reports_each_instruction)
{
	struct nyk_insn p[] = { MOV_K(0, 1), MOV_K(6, 1), CALL_LOCAL(1), EXIT, MOV_K(0, 3), EXIT };
	struct trace_log t = { 0 };
	struct nyk_vm *vm = tv_vm();
	uint64_t r0 = 0;
	static const size_t pcs[] = { 0, 1, 2, 4, 5, 3 };
	static const unsigned changed[] = { 1u << 0, 1u << 6, 1u << 10, 1u << 0, 1u << 10, 0 };
	static const unsigned depth[] = { 0, 0, 0, 1, 1, 0 };

	CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
	CHECK(nyk_vm_exec_traced(vm, NULL, 0, &r0, log_trace, &t, NULL) == 0);
	CHECK_EQ(r0, 3);
	CHECK_EQ(t.n, 6);
	for (size_t i = 0; i < 6; i++) {
		CHECK_EQ(t.pc[i], pcs[i]);
		CHECK_EQ(t.changed[i], changed[i]);
		CHECK_EQ(t.depth[i], depth[i]);
	}
	CHECK_EQ(t.r0[3], 3);
	CHECK_EQ(nyk_vm_last_insn_count(vm), 6);
	nyk_vm_destroy(vm);
}

/* ---- public entry points and options ------------------------------------ */

TEST(vm_default_mode_is_checked_and_unchecked_runs)
{
	uint8_t mem[8] = { 42 };
	struct nyk_insn p[] = { LDXB(0, 1, 0), EXIT };
	struct nyk_insn oob[] = { LDXB(0, 1, 8), EXIT };
	struct nyk_vm_opts o = { .size = sizeof(o), .flags = NYK_VM_UNCHECKED };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;
	uint64_t r0 = 0;

	nyk_error_clear(&err);
	CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, &err) == -EINVAL);
	CHECK_STR(err.message, "no program loaded");
	CHECK(nyk_vm_load(vm, oob, NPROG(oob), NULL) == 0);
	CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, &err) == -EFAULT);
	CHECK(nyk_vm_load(vm, p, NPROG(p), NULL) == 0);
	CHECK(nyk_vm_set_opts(vm, &o) == 0);
	CHECK(nyk_vm_exec(vm, mem, sizeof(mem), &r0, NULL) == 0);
	CHECK_EQ(r0, 42);
	nyk_vm_destroy(vm);
}

TEST(vm_options_are_validated)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct {
		struct nyk_vm_opts o;
		uint64_t future;
	} big = { { .size = sizeof(big) }, 0 };
	struct nyk_vm_opts bad = { .size = sizeof(bad), .flags = 1u << 7 };
	struct nyk_vm_opts tiny = { .size = 4 };

	CHECK(nyk_vm_set_opts(vm, &big.o) == 0);
	big.future = 1;
	CHECK(nyk_vm_set_opts(vm, &big.o) == -EINVAL);
	CHECK(nyk_vm_set_opts(vm, &bad) == -EINVAL);
	CHECK(nyk_vm_set_opts(vm, &tiny) == -EINVAL);
	CHECK(nyk_vm_set_opts(vm, NULL) == -EINVAL);
	nyk_vm_destroy(vm);
}

TEST(vm_load_refuses_invalid_programs_with_their_index)
{
	struct nyk_insn bad[] = { MOV_K(0, 0), I(0xff, 0, 0, 0, 0), EXIT };
	struct nyk_vm *vm = tv_vm();
	struct nyk_error err;

	nyk_error_clear(&err);
	CHECK(nyk_vm_load(vm, bad, NPROG(bad), &err) == -EINVAL);
	CHECK_EQ(err.insn, 1);
	CHECK(strstr(err.message, "unknown opcode 0xff") != NULL);
	nyk_vm_destroy(vm);
}
