// expect: accept
// bpf_for_each_map_elem sums an array's values into the callback context.
#include "../include/vt.h"

VT_ARRAY(vals, __u64, 8);

static long sum_elem(void *map, __u32 *key, __u64 *val, void *ctx)
{
	*(__u64 *)ctx += *val;
	return 0;
}

SEC("xdp")
int helper_for_each(struct xdp_md *ctx)
{
	__u64 sum = 0;

	bpf_for_each_map_elem(&vals, sum_elem, &sum, 0);
	return sum > 100 ? XDP_DROP : XDP_PASS;
}
