// expect: accept
// kernel: skip the kernel turns a pointer non-null only after a comparison with the immediate 0, not with a register holding 0; nyuki accepts both (verifier design)
// The null check compares with a register known to be 0.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int map_eq_reg(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);
	int r;

	asm volatile("r1 = 0\n"
		     "%0 = 2\n"
		     "if %1 == r1 goto +2\n"
		     "r2 = *(u64 *)(%1 + 0)\n"
		     "%0 = 1\n"
		     : "=&r"(r) : "r"(v) : "r1", "r2");
	return r;
}
