// expect: accept
// Every field of struct xdp_md an ordinary XDP program may read (egress_ifindex needs xdp/devmap).
#include "../include/vt.h"

SEC("xdp")
int ctx_xdp_fields(struct xdp_md *ctx)
{
	__u32 data = ctx->data, end = ctx->data_end, meta = ctx->data_meta;
	__u32 s;

	VT_OPAQUE(data);
	VT_OPAQUE(end);
	VT_OPAQUE(meta);
	s = ctx->ingress_ifindex + ctx->rx_queue_index;
	VT_OPAQUE(s);
	return s & 1 ? XDP_PASS : XDP_DROP;
}
