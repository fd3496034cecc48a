// expect: reject pointer arithmetic on map_value_or_null is not allowed
// The lookup result is moved by 8 before its null check.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64[2], 4);

SEC("xdp")
int map_null_arith(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	asm volatile("%0 += 8" : "+r"(v));
	if (!v)
		return XDP_PASS;
	return *v ? XDP_DROP : XDP_PASS;
}
