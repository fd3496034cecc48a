// expect: accept
// The access sits inside the branch where data + 34 <= data_end.
#include "../include/vt.h"

SEC("xdp")
int xdp_le_inside(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) <= end) {
		if (ip->protocol == IPPROTO_UDP)
			return XDP_DROP;
	}
	return XDP_PASS;
}
