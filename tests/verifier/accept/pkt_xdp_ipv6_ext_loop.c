// expect: accept
// Skipping up to 4 IPv6 extension headers: each step checks the header it reads, the length is hdrlen*8+8.
#include "../include/vt.h"

struct ext { __u8 next; __u8 hdrlen; };

SEC("xdp")
int xdp_v6_ext(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);
	void *p;
	__u8 next;

	if ((void *)(ip6 + 1) > end)
		return XDP_PASS;
	next = ip6->nexthdr;
	p = ip6 + 1;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 4; i++) {
		struct ext *e = p;

		if (next != 0 && next != 43 && next != 60)
			break;
		if ((void *)(e + 1) > end)
			return XDP_DROP;
		next = e->next;
		p += (e->hdrlen + 1) * 8;
	}
	return next == IPPROTO_TCP ? XDP_PASS : XDP_DROP;
}
