// expect: reject is beyond the checked range
// A masked index in [0,255] added after a check of 14 bytes: not covered.
#include "../include/vt.h"

SEC("xdp")
int xdp_var_after(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 i;

	if (data + 14 > end)
		return XDP_DROP;
	i = data[0];
	return data[i] ? XDP_PASS : XDP_DROP;
}
