// expect: reject field data is read-only
// xdp_md.data cannot be written.
#include "../include/vt.h"

SEC("xdp")
int ctx_write_data(struct xdp_md *ctx)
{
	__u32 x = 4;

	VT_OPAQUE(x);
	ctx->data = x;
	return XDP_PASS;
}
