// expect: reject leaks a pkt pointer into a map value
// kernel: skip root may store pointers into map values (allow_ptr_leaks)
// A packet address kept in a map.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("xdp")
int leak_pkt(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (v)
		*v = ctx->data;
	return XDP_PASS;
}
