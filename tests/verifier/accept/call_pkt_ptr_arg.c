// expect: accept
// A checked packet pointer and data_end passed to a subprogram that checks again.
#include "../include/vt.h"

static __attribute__((noinline)) int is_ipv4(void *data, void *end)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return 0;
	return eth->h_proto == bpf_htons(ETH_P_IP);
}

SEC("xdp")
int call_pkt(struct xdp_md *ctx)
{
	return is_ipv4(PKT_BEGIN(ctx), PKT_END(ctx)) ? XDP_PASS : XDP_DROP;
}
