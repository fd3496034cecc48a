// expect: reject is beyond the checked range
// data_meta read without comparing it with data.
#include "../include/vt.h"

SEC("xdp")
int xdp_meta_unchecked(struct xdp_md *ctx)
{
	__u32 *meta = (void *)(long)ctx->data_meta;

	return *meta == 1 ? XDP_DROP : XDP_PASS;
}
