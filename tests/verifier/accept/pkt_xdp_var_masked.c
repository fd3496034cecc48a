// expect: accept
// An index read from the packet, masked to [0,15], checked against data_end after it is added.
#include "../include/vt.h"

SEC("xdp")
int xdp_var_masked(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u8 *p;

	if (data + 1 > end)
		return XDP_DROP;
	p = data + (data[0] & 15);
	if (p + 1 > end)
		return XDP_DROP;
	return *p ? XDP_PASS : XDP_DROP;
}
