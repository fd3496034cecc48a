// expect: accept
// data_end - data is a scalar (subtraction of two packet pointers).
#include "../include/vt.h"

SEC("xdp")
int xdp_len(struct xdp_md *ctx)
{
	long len = (long)ctx->data_end - (long)ctx->data;

	return len > 1500 ? XDP_DROP : XDP_PASS;
}
