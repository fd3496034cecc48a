/*
 * helpers.c - the helpers the command registers for raw programs and
 * assembly: those whose kernel semantics need nothing but the host.
 */
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/helpers.h"

static uint64_t ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct nyk_exec *exec)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* xorshift64*, seeded once from the clock: bpf_get_prandom_u32 makes no stronger promise. */
static uint64_t get_prandom_u32(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct nyk_exec *exec)
{
	static _Thread_local uint64_t state;
	if (!state)
		state = ktime_get_ns(0, 0, 0, 0, 0, exec) | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint64_t get_smp_processor_id(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				     struct nyk_exec *exec)
{
	return 0;   /* user-space runs are one logical CPU */
}

int cli_register_helpers(struct nyk_vm *vm, struct nyk_error *err)
{
	int rc;
	if ((rc = nyk_vm_register_helper(vm, 5, "bpf_ktime_get_ns", ktime_get_ns, err)) ||
	    (rc = nyk_vm_register_helper(vm, 7, "bpf_get_prandom_u32", get_prandom_u32, err)) ||
	    (rc = nyk_vm_register_helper(vm, 8, "bpf_get_smp_processor_id", get_smp_processor_id, err)))
		return rc;
	return 0;
}
