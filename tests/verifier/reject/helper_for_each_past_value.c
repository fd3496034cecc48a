// expect: reject is outside the value of 8 bytes
// The for_each callback reads past its 8-byte value.
#include "../include/vt.h"

VT_ARRAY(vals, __u64, 8);

static long peek(void *map, __u32 *key, __u64 *val, void *ctx)
{
	*(__u64 *)ctx += val[1];
	return 0;
}

SEC("xdp")
int helper_for_each_past(struct xdp_md *ctx)
{
	__u64 sum = 0;

	bpf_for_each_map_elem(&vals, peek, &sum, 0);
	return sum ? XDP_DROP : XDP_PASS;
}
