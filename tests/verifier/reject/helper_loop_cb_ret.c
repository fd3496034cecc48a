// expect: reject is outside [0,1]
// A bpf_loop callback must return 0 or 1.
#include "../include/vt.h"

static long bad_ret(__u32 i, void *data)
{
	return 5;
}

SEC("xdp")
int helper_loop_ret(struct xdp_md *ctx)
{
	bpf_loop(10, bad_ret, NULL, 0);
	return XDP_PASS;
}
