// expect: accept
// The callee reads a struct the caller built on its stack.
#include "../include/vt.h"

struct flow { __u32 saddr, daddr; __u16 sport, dport; };

static __attribute__((noinline)) __u32 flow_hash(const struct flow *f)
{
	return f->saddr ^ f->daddr ^ ((__u32)f->sport << 16 | f->dport);
}

SEC("xdp")
int call_stack_arg(struct xdp_md *ctx)
{
	void *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	struct iphdr *ip = data + 14;
	struct udphdr *udp = data + 34;
	struct flow f;

	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	f.saddr = ip->saddr;
	f.daddr = ip->daddr;
	f.sport = udp->source;
	f.dport = udp->dest;
	return flow_hash(&f) & 1 ? XDP_PASS : XDP_DROP;
}
