// expect: accept
// data_meta checked against data before the 4 metadata bytes are read.
#include "../include/vt.h"

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx);
	void *meta = (void *)(long)ctx->data_meta;
	__u32 *mark = meta;

	if ((void *)(mark + 1) > data)
		return XDP_PASS;
	return *mark == 7 ? XDP_DROP : XDP_PASS;
}
