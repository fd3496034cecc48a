// expect: accept
// IPv6: 14 + 40 bytes checked, next header read at offset 20.
#include "../include/vt.h"

SEC("xdp")
int xdp_v6(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);

	if ((void *)(ip6 + 1) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	return ip6->nexthdr == IPPROTO_TCP ? XDP_DROP : XDP_PASS;
}
