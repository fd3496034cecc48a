// expect: accept
// bpf_redirect to an interface index from a map; its return value is the XDP action.
#include "../include/vt.h"

VT_ARRAY(ports, __u32, 8);

SEC("xdp")
int helper_redirect(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index & 7;
	__u32 *ifindex = bpf_map_lookup_elem(&ports, &key);

	if (!ifindex || !*ifindex)
		return XDP_PASS;
	return bpf_redirect(*ifindex, 0);
}
