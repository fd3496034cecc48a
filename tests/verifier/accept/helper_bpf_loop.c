// expect: accept
// bpf_loop with a callback that writes its context on the caller's stack.
#include "../include/vt.h"

struct acc { __u64 sum; };

static long add_one(__u32 i, void *data)
{
	struct acc *a = data;

	a->sum += i;
	return 0;
}

SEC("xdp")
int helper_loop(struct xdp_md *ctx)
{
	struct acc a = { 0 };

	bpf_loop(100, add_one, &a, 0);
	return a.sum == 4950 ? XDP_PASS : XDP_DROP;
}
