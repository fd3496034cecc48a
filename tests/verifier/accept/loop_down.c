// expect: accept
// Counting down from 64 to 1.
#include "../include/vt.h"

SEC("xdp")
int loop_down(struct xdp_md *ctx)
{
	__u32 x = ctx->rx_queue_index, acc = 0;

#pragma clang loop unroll(disable)
	for (int i = 64; i > 0; i--) {
		acc = acc * 31 + (x ^ i);
		VT_OPAQUE(acc);
	}
	return acc & 1 ? XDP_PASS : XDP_DROP;
}
