// expect: reject map_value_or_null
// A 32-bit comparison (w0 != 0) does not prove a 64-bit pointer non-null.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int map_null_w(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);
	int r;

	asm volatile("r3 = %1\n"
		     "%0 = 2\n"
		     "if w3 == 0 goto +2\n"
		     "r2 = *(u64 *)(r3 + 0)\n"
		     "%0 = 1\n"
		     : "=&r"(r) : "r"(v) : "r2", "r3");
	return r;
}
