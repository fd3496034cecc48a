// expect: reject is beyond the checked range
// The UDP header after a variable-length IP header is read without a second check.
#include "../include/vt.h"

SEC("xdp")
int xdp_ihl_unchecked(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;
	struct udphdr *udp;

	if ((void *)(ip + 1) + sizeof(struct udphdr) > end)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	return udp->dest == bpf_htons(53) ? XDP_DROP : XDP_PASS;
}
