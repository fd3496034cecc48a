/* bpf-to-bpf calls: static and global subprograms, chains, one subprogram in two programs. */
#include "loader.h"

static __noinline int square(int x)
{
	return x * x; /* square-body */
}

__noinline int sum_squares(int a, int b)
{
	return square(a) + square(b);
}

static __noinline int twice_sum(int a, int b)
{
	return 2 * sum_squares(a, b);
}

SEC("xdp") int first(struct xdp_md *ctx)
{
	return twice_sum(3, 4) + square(2);
}

SEC("xdp") int second(struct xdp_md *ctx)
{
	return square(7);
}

SEC("tc") int third(void *ctx)
{
	return sum_squares(1, 1);
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// NOBTF: yes
// CHECK: program first section=xdp type=xdp
// CHECK: program second section=xdp type=xdp
// CHECK: program third section=tc type=sched_cls
// CHECK-NOT: program square
// CHECK-NOT: program sum_squares
// CHECK: func first twice_sum
// CHECK: func first sum_squares at
// CHECK: func first square at
// CHECK: func second square at
// CHECK: call first insn
// CLANG-CHECK: func second square at 3
// CLANG-CHECK: line second insn 4: calls.c:@LINE(square-body)@:
// RUN-ARGS: --run first --run second --run third
// RUN-CHECK: run first retval=54
// RUN-CHECK: run second retval=49
// RUN-CHECK: run third retval=2
