// expect: reject is beyond the checked range
// A packet key whose 4 bytes were not checked against data_end.
#include "../include/vt.h"

VT_HASH(blocked, __u32, __u8, 1024);

SEC("xdp")
int helper_pkt_key_bad(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 26 > end)
		return XDP_PASS;
	return bpf_map_lookup_elem(&blocked, data + 26) ? XDP_DROP : XDP_PASS;
}
