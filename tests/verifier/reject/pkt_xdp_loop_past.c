// expect: reject is beyond the checked range
// A loop reads 64 bytes after a check of 14.
#include "../include/vt.h"

SEC("xdp")
int xdp_loop_past(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 sum = 0;

	if (data + 14 > end)
		return XDP_DROP;
	for (int i = 0; i < 64; i++)
		sum += data[i];
	return sum ? XDP_PASS : XDP_DROP;
}
