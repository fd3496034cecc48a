// expect: accept
// The check written with data_end on the left: end < data + 14.
#include "../include/vt.h"

SEC("xdp")
int xdp_end_lt(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (end < data + 14)
		return XDP_DROP;
	return ((__u8 *)data)[13] & 1 ? XDP_PASS : XDP_TX;
}
