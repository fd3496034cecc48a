// expect: reject bpf_map_lookup_elem (helper 1) argument 2
// The context pointer passed as a map key.
#include "../include/vt.h"

VT_HASH(m, __u32, __u32, 4);

SEC("xdp")
int helper_ctx_key(struct xdp_md *ctx)
{
	return bpf_map_lookup_elem(&m, ctx) ? XDP_DROP : XDP_PASS;
}
