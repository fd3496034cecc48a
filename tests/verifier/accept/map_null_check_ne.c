// expect: accept
// The access sits in the branch of `v != NULL`.
#include "../include/vt.h"

VT_HASH(flows, __u32, __u64, 1024);

SEC("xdp")
int map_ne(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;
	__u64 *v = bpf_map_lookup_elem(&flows, &key);

	if (v != NULL) {
		__sync_fetch_and_add(v, 1);
		return XDP_DROP;
	}
	return XDP_PASS;
}
