// expect: accept
// The Ethernet header check covers exactly h_proto's last byte: off 12 + size 2 == range 14.
#include "../include/vt.h"

SEC("xdp")
int xdp_eth_exact(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}
