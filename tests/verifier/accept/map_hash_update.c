// expect: accept
// Key and value on the stack, fully written, passed to bpf_map_update_elem.
#include "../include/vt.h"

struct key { __u32 saddr, daddr; };
struct val { __u64 first_seen; __u32 pkts; __u32 pad; };
VT_HASH(conns, struct key, struct val, 4096);

SEC("xdp")
int map_update(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct key k;
	struct val v = {};

	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	k.saddr = ip->saddr;
	k.daddr = ip->daddr;
	v.first_seen = bpf_ktime_get_ns();
	v.pkts = 1;
	bpf_map_update_elem(&conns, &k, &v, BPF_NOEXIST);
	return XDP_PASS;
}
