// expect: reject is beyond the checked range
// The read happens on the branch where the packet is shorter than 14 bytes.
#include "../include/vt.h"

SEC("xdp")
int xdp_wrong_branch(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 14 > end)
		return data[0];
	return XDP_PASS;
}
