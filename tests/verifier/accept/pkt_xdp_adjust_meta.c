// expect: accept
// Make room for 4 bytes of metadata, check them against data, write a mark for tc.
#include "../include/vt.h"

SEC("xdp")
int xdp_meta_write(struct xdp_md *ctx)
{
	__u32 *meta;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -4))
		return XDP_PASS;
	meta = (void *)(long)ctx->data_meta;
	data = PKT_BEGIN(ctx);
	if ((void *)(meta + 1) > data)
		return XDP_ABORTED;
	*meta = 0xcafe;
	return XDP_PASS;
}
