// expect: reject is a scalar, not a pointer
// The callback dereferences its context, but bpf_loop was given NULL.
#include "../include/vt.h"

static long deref(__u32 i, void *data)
{
	*(__u64 *)data += i;
	return 0;
}

SEC("xdp")
int helper_loop_null(struct xdp_md *ctx)
{
	bpf_loop(10, deref, NULL, 0);
	return XDP_PASS;
}
