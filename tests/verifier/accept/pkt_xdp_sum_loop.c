// expect: accept
// A bounded loop over the first 64 bytes, checked against data_end at each step.
#include "../include/vt.h"

SEC("xdp")
int xdp_sum(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 sum = 0;

	for (int i = 0; i < 64; i++) {
		if (data + i + 1 > end)
			break;
		sum += data[i];
	}
	return sum & 1 ? XDP_PASS : XDP_DROP;
}
