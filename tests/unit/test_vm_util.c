/*
 * test_vm_util.c - running test programs through every flavour of the
 * interpreter and comparing what they do.
 */
#include <errno.h>
#include <stdlib.h>

#include "test.h"
#include "test_vm.h"

static const struct {
	const char *name;
	vm_interp_fn fn;
	int checked;
	unsigned jit;    /* JIT flavours: the options to compile with */
} flavours[TV_FLAVOURS] = {
	[TV_FAST] = { "fast", vm_interp_fast, 0, 0 },
	[TV_CHECKED] = { "checked", vm_interp_checked, 1, 0 },
	[TV_SLOW_CHECKED] = { "slow-checked", vm_interp_slow, 1, 0 },
	[TV_SLOW_UNCHECKED] = { "slow-unchecked", vm_interp_slow, 0, 0 },
	[TV_SWITCH_FAST] = { "switch-fast", tv_switch_fast, 0, 0 },
	[TV_SWITCH_CHECKED] = { "switch-checked", tv_switch_checked, 1, 0 },
	[TV_SWITCH_SLOW_CHECKED] = { "switch-slow-checked", tv_switch_slow, 1, 0 },
	[TV_SWITCH_SLOW_UNCHECKED] = { "switch-slow-unchecked", tv_switch_slow, 0, 0 },
#if VM_HAVE_JIT
	[TV_JIT_UNCHECKED] = { "jit-unchecked", NULL, 0, NYK_VM_JIT | NYK_VM_UNCHECKED },
	[TV_JIT_CHECKED] = { "jit-checked", NULL, 1, NYK_VM_JIT },
	[TV_JIT_BLIND] = { "jit-blind", NULL, 1, NYK_VM_JIT | NYK_VM_JIT_BLIND },
#endif
};

const char *tv_flavour_name(int flavour)
{
	return flavours[flavour].name;
}

int tv_flavour_checked(int flavour)
{
	return flavours[flavour].checked;
}

int tv_flavour_jit(int flavour)
{
	return flavours[flavour].jit != 0;
}

static void count_trace(void *user, size_t pc, const struct nyk_insn *insn, const uint64_t regs[NYK_REG_COUNT],
			unsigned changed_mask, unsigned depth)
{
	++*(uint64_t *)user;
}

int tv_exec(struct nyk_vm *vm, int flavour, void *mem, size_t len, uint64_t *r0, struct nyk_error *err)
{
	uint64_t traced = 0, counted = 0;
	int slow = flavours[flavour].fn == vm_interp_slow || flavours[flavour].fn == tv_switch_slow;
	int rc;

	if (flavours[flavour].jit) {
		/* Compiled for this flavour's options (kept while the next run wants the same). */
		if (!vm->jit || vm->jit->flags != flavours[flavour].jit) {
			rc = vm_jit_compile(vm, flavours[flavour].jit, err);
			if (rc < 0)
				return rc;
		}
		return vm_jit_exec(vm, mem, len, r0, err);
	}
	rc = vm_exec_with(vm, flavours[flavour].fn, flavours[flavour].checked, mem, len, r0,
			      slow ? count_trace : NULL, &traced, &counted, err);

	/* The trace sees every completed instruction; the count includes a faulting one. */
	if (slow && rc == 0 && traced != counted) {
		printf("    %s: traced %" PRIu64 " instructions, counted %" PRIu64 "\n", flavours[flavour].name,
		       traced, counted);
		return -EPROTO;
	}
	return rc;
}

/* Helper 1: a weighted sum of its arguments, to see each one arrive. */
static uint64_t helper_sum5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e;
}

/* Helper 2: nyk_exec_check_mem(r1 = addr, r2 = len, r3 = flags). */
static uint64_t helper_check(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return (uint64_t)(int64_t)nyk_exec_check_mem(x, a, b, (unsigned)c);
}

/* Helper 3: the user data, plus 1 when the exec knows its vm. */
static uint64_t helper_user(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return (uint64_t)(uintptr_t)nyk_exec_user_data(x) + (nyk_exec_vm(x) != NULL);
}

struct nyk_vm *tv_vm(void)
{
	struct nyk_vm *vm = nyk_vm_create();

	if (!vm)
		return NULL;
	nyk_vm_register_helper(vm, 1, "sum5", helper_sum5, NULL);
	nyk_vm_register_helper(vm, 2, "check_mem", helper_check, NULL);
	nyk_vm_register_helper(vm, 3, "user", helper_user, NULL);
	return vm;
}

int tv_run_all(const struct nyk_insn *p, size_t n, void *mem, size_t len, uint64_t *r0)
{
	uint64_t first[32], buf[32];
	uint64_t want = 0;
	struct nyk_error err;
	struct nyk_vm *vm = tv_vm();
	int ok = 1;

	if (!vm || len > sizeof(buf))
		return 0;
	nyk_error_clear(&err);
	if (nyk_vm_load(vm, p, n, &err) < 0) {
		printf("    load failed at insn %ld: %s\n", err.insn, err.message);
		nyk_vm_destroy(vm);
		return 0;
	}
	for (int f = 0; f < TV_FLAVOURS && ok; f++) {
		uint64_t got = 0;
		if (len)
			memcpy(buf, mem, len);
		nyk_error_clear(&err);
		if (tv_exec(vm, f, len ? buf : NULL, len, &got, &err) < 0) {
			printf("    %s: run failed at insn %ld: %s\n", tv_flavour_name(f), err.insn, err.message);
			ok = 0;
		} else if (f == 0) {
			want = got;
			if (len)
				memcpy(first, buf, len);
		} else if (got != want) {
			printf("    %s: r0 = 0x%" PRIx64 ", %s gave 0x%" PRIx64 "\n", tv_flavour_name(f), got,
			       tv_flavour_name(0), want);
			ok = 0;
		} else if (len && memcmp(first, buf, len) != 0) {
			printf("    %s: memory differs from %s's\n", tv_flavour_name(f), tv_flavour_name(0));
			ok = 0;
		}
	}
	if (ok) {
		*r0 = want;
		if (len)
			memcpy(mem, first, len);
	}
	nyk_vm_destroy(vm);
	return ok;
}

int tv_fault_all(const struct nyk_insn *p, size_t n, void *mem, size_t len, int code, const char *msg, long insn)
{
	uint64_t buf[32];
	struct nyk_error err;
	struct nyk_vm *vm = tv_vm();
	int ok = 1;

	if (!vm || len > sizeof(buf))
		return 0;
	nyk_error_clear(&err);
	if (nyk_vm_load(vm, p, n, &err) < 0) {
		printf("    load failed at insn %ld: %s\n", err.insn, err.message);
		nyk_vm_destroy(vm);
		return 0;
	}
	for (int f = 0; f < TV_FLAVOURS && ok; f++) {
		uint64_t got = 0;
		int rc;
		if (!tv_flavour_checked(f))
			continue;
		if (len)
			memcpy(buf, mem, len);
		nyk_error_clear(&err);
		rc = tv_exec(vm, f, len ? buf : NULL, len, &got, &err);
		if (rc != code || err.code != code || err.insn != insn || !strstr(err.message, msg)) {
			printf("    %s: rc %d, insn %ld, \"%s\"; want rc %d, insn %ld, \"%s\"\n", tv_flavour_name(f), rc,
			       err.insn, err.message, code, insn, msg);
			ok = 0;
		}
	}
	nyk_vm_destroy(vm);
	return ok;
}
