// expect: reject is outside the frame [-512,0)
// The bpf_loop callback writes 8 bytes past the 8-byte context it was given on the caller's stack.
#include "../include/vt.h"

static long touch(__u32 i, void *data)
{
	__u64 *p = data;

	VT_OPAQUE(p);
	p[1] = i;
	return 0;
}

SEC("xdp")
int helper_loop_oob(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(4, touch, &acc, 0);
	return acc ? XDP_DROP : XDP_PASS;
}
