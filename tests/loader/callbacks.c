/* Function addresses (bpf_loop callbacks): lddw of a static function becomes a pseudo-func lddw. */
#include "loader.h"

static int add_index(__u32 i, void *ctx)
{
	*(long *)ctx += i;
	return 0;
}

static int add_twice(__u32 i, void *ctx)
{
	*(long *)ctx += 2 * i;
	return 0;
}

SEC("xdp") int looper(struct xdp_md *ctx)
{
	long sum = 0;
	bpf_loop(10, add_index, &sum, 0);
	bpf_loop(5, add_twice, &sum, 0);
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

// MCPU: v2 v3
// CHECK: program looper section=xdp type=xdp
// CHECK: func looper add_index at
// CHECK: func looper add_twice at
// CHECK: reloc looper insn
// CHECK: func add_index
// CHECK: func add_twice
