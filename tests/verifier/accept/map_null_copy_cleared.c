// expect: accept
// A copy of the nullable pointer made before the check is non-null after it (same id).
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int map_copy(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key), *copy;

	asm volatile("%0 = %1" : "=r"(copy) : "r"(v));
	if (!v)
		return XDP_PASS;
	return *copy ? XDP_DROP : XDP_PASS;
}
