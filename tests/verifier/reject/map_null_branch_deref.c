// expect: reject is a scalar, not a pointer
// The load is on the branch where the lookup returned NULL.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int map_null_deref(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);
	int r;

	asm volatile("%0 = 2\n"
		     "if %1 != 0 goto +2\n"
		     "r2 = *(u64 *)(%1 + 0)\n"
		     "%0 = 1\n"
		     : "=&r"(r) : "r"(v) : "r2");
	return r;
}
