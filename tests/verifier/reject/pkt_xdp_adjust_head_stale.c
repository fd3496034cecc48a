// expect: reject is a scalar, not a pointer
// The pointer loaded before bpf_xdp_adjust_head is used after it.
#include "../include/vt.h"

SEC("xdp")
int xdp_stale(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 20 > end)
		return XDP_DROP;
	if (bpf_xdp_adjust_head(ctx, 14))
		return XDP_DROP;
	return data[0] == 0x45 ? XDP_PASS : XDP_DROP;
}
