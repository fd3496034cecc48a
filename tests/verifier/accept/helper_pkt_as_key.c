// expect: accept
// A map key read straight from the packet (the source address, 4 bytes, checked).
#include "../include/vt.h"

VT_HASH(blocked, __u32, __u8, 1024);

SEC("xdp")
int helper_pkt_key(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;

	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	return bpf_map_lookup_elem(&blocked, &ip->saddr) ? XDP_DROP : XDP_PASS;
}
