// expect: reject context access off=20 size=4
// egress_ifindex is readable in devmap programs only (xdp_is_valid_access).
#include "../include/vt.h"

SEC("xdp")
int ctx_egress(struct xdp_md *ctx)
{
	return ctx->egress_ifindex == 3 ? XDP_DROP : XDP_PASS;
}
