// expect: reject may not terminate
// The counter moves away from its bound (i-- with i < 10).
#include "../include/vt.h"

SEC("xdp")
int loop_away(struct xdp_md *ctx)
{
	__u32 acc = ctx->ingress_ifindex;
	long i = 0;

#pragma clang loop unroll(disable)
	while (i < 10) {
		acc ^= i;
		VT_OPAQUE(acc);
		i--;
		VT_OPAQUE(i);
	}
	return acc & 1;
}
