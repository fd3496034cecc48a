// expect: accept
// A devmap XDP program may read egress_ifindex.
#include "../include/vt.h"

SEC("xdp/devmap")
int ctx_devmap(struct xdp_md *ctx)
{
	return ctx->egress_ifindex == 3 ? XDP_DROP : XDP_PASS;
}
