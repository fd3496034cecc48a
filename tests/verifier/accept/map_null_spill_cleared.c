// expect: accept
// A nullable pointer spilled before its check is non-null when filled after the check.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int map_spill(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);
	__u64 *volatile saved = v;

	if (!v)
		return XDP_PASS;
	return *saved ? XDP_DROP : XDP_PASS;
}
