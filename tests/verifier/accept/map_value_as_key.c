// expect: accept
// A map value (checked) serves as the key of a second lookup.
#include "../include/vt.h"

VT_ARRAY(redirect, __u32, 16);
VT_HASH(targets, __u32, __u64, 16);

SEC("xdp")
int map_chain(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index & 15;
	__u32 *t = bpf_map_lookup_elem(&redirect, &key);
	__u64 *v;

	if (!t)
		return XDP_PASS;
	v = bpf_map_lookup_elem(&targets, t);
	return v && *v ? XDP_DROP : XDP_PASS;
}
