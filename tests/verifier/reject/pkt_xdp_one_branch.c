// expect: reject is beyond the checked range
// The check is made on one path only; the read after the join is not covered.
#include "../include/vt.h"

SEC("xdp")
int xdp_one_branch(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 q = ctx->rx_queue_index;

	if (q == 0) {
		if (data + 14 > end)
			return XDP_DROP;
	}
	return data[12] == 8 ? XDP_PASS : XDP_DROP;
}
