// expect: accept
// data_end >= p + 20 on the left: the IPv4 header's last byte (off 33) is covered.
#include "../include/vt.h"

SEC("xdp")
int xdp_end_ge(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;

	if (end >= (void *)(ip + 1))
		return ((__u8 *)data)[33] == 0 ? XDP_DROP : XDP_PASS;
	return XDP_ABORTED;
}
