// expect: reject is beyond the checked range
// One byte before data is not packet.
#include "../include/vt.h"

SEC("xdp")
int xdp_negative(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 14 > end)
		return XDP_DROP;
	data -= 1;
	VT_OPAQUE(data);
	return data[0] ? XDP_PASS : XDP_DROP;
}
