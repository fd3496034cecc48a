// expect: reject is outside the frame [-512,0)
// A 4-byte key on the stack for a map whose keys have 8 bytes: the helper would read 4 bytes past it.
#include "../include/vt.h"

VT_HASH(m, __u64, __u64, 16);

SEC("xdp")
int map_small_key(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;

	return bpf_map_lookup_elem(&m, &key) ? XDP_DROP : XDP_PASS;
}
