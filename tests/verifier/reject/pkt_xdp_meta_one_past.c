// expect: reject is beyond the checked range
// 4 metadata bytes proven, 8 read.
#include "../include/vt.h"

SEC("xdp")
int xdp_meta_past(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx);
	__u8 *meta = (void *)(long)ctx->data_meta;

	if (meta + 4 > (__u8 *)data)
		return XDP_PASS;
	return *(__u64 *)meta == 1 ? XDP_DROP : XDP_PASS;
}
