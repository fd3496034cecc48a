// expect: accept
// A switch over the IP protocol, each case checking its own header.
#include "../include/vt.h"

SEC("xdp")
int xdp_switch(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;
	void *l4 = data + 34;

	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	switch (ip->protocol) {
	case IPPROTO_TCP:
		if (l4 + sizeof(struct tcphdr) > end)
			return XDP_DROP;
		return ((struct tcphdr *)l4)->rst ? XDP_DROP : XDP_PASS;
	case IPPROTO_UDP:
		if (l4 + sizeof(struct udphdr) > end)
			return XDP_DROP;
		return ((struct udphdr *)l4)->len < bpf_htons(8) ? XDP_DROP : XDP_PASS;
	case IPPROTO_ICMP:
		if (l4 + 1 > end)
			return XDP_DROP;
		return *(__u8 *)l4 == 8 ? XDP_DROP : XDP_PASS;
	default:
		return XDP_PASS;
	}
}
