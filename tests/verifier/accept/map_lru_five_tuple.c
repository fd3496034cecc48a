// expect: accept
// An LRU hash keyed by a 5-tuple built from the packet.
#include "../include/vt.h"

struct tuple { __u32 saddr, daddr; __u16 sport, dport; __u8 proto, pad[3]; };
VT_MAP(conntrack, BPF_MAP_TYPE_LRU_HASH, struct tuple, __u64, 65536);

SEC("xdp")
int map_lru(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;
	struct udphdr *udp = data + 34;
	struct tuple t = {};
	__u64 *seen, now = bpf_ktime_get_ns();

	if ((void *)(udp + 1) > end || ip->ihl != 5)
		return XDP_PASS;
	t.saddr = ip->saddr;
	t.daddr = ip->daddr;
	t.sport = udp->source;
	t.dport = udp->dest;
	t.proto = ip->protocol;
	seen = bpf_map_lookup_elem(&conntrack, &t);
	if (seen)
		*seen = now;
	else
		bpf_map_update_elem(&conntrack, &t, &now, BPF_ANY);
	return XDP_PASS;
}
