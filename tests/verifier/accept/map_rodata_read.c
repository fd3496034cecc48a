// expect: accept
// A read of a const volatile global (.rodata, frozen) configured by the loader.
#include "../include/vt.h"

const volatile __u32 drop_port = 9;

SEC("xdp")
int map_rodata(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct udphdr *udp = data + 34;

	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	return udp->dest == bpf_htons(drop_port) ? XDP_DROP : XDP_PASS;
}
