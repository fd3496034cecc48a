// expect: reject is beyond the checked range
// The Ethernet header is read without any comparison with data_end.
#include "../include/vt.h"

SEC("xdp")
int xdp_no_check(struct xdp_md *ctx)
{
	struct ethhdr *eth = PKT_BEGIN(ctx);

	return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}
