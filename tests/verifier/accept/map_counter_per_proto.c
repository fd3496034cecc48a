// expect: accept
// The classic per-protocol packet counter: key from the packet, atomic add.
#include "../include/vt.h"

VT_ARRAY(counts, __u64, 256);

SEC("xdp")
int map_counter(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + sizeof(struct ethhdr);
	__u32 key;
	__u64 *c;

	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	key = ip->protocol;
	c = bpf_map_lookup_elem(&counts, &key);
	if (c)
		__sync_fetch_and_add(c, 1);
	return XDP_PASS;
}
