// expect: accept
// A TCP SYN filter with a fixed 20-byte IP header assumption: 14 + 20 + 20 bytes checked.
#include "../include/vt.h"

SEC("xdp")
int xdp_syn(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);

	if ((void *)(tcp + 1) > end)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	return tcp->syn && !tcp->ack ? XDP_DROP : XDP_PASS;
}
