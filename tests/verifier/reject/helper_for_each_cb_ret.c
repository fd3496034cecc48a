// expect: reject is outside [0,1]
// A for_each_map_elem callback must return 0 (go on) or 1 (stop).
#include "../include/vt.h"

VT_ARRAY(vals, __u64, 8);

static long bad(void *map, __u32 *key, __u64 *val, void *ctx)
{
	return 2;
}

SEC("xdp")
int helper_for_each_ret(struct xdp_md *ctx)
{
	bpf_for_each_map_elem(&vals, bad, NULL, 0);
	return XDP_PASS;
}
