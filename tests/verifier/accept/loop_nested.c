// expect: accept
// Two nested bounded loops (10 x 12).
#include "../include/vt.h"

SEC("xdp")
int loop_nested(struct xdp_md *ctx)
{
	__u32 acc = ctx->ingress_ifindex;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 10; i++) {
#pragma clang loop unroll(disable)
		for (int j = 0; j < 12; j++) {
			acc += i * j;
			VT_OPAQUE(acc);
		}
	}
	return acc & 3;
}
