// expect: reject is not allowed in xdp programs
// bpf_skb_store_bytes (9) is an __sk_buff helper.
#include "../include/vt.h"

SEC("xdp")
int helper_store_in_xdp(struct xdp_md *ctx)
{
	__u32 v = 0;

	bpf_skb_store_bytes(ctx, 0, &v, 4, 0);
	return XDP_PASS;
}
