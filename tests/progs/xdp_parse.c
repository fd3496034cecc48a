/*
 * xdp_parse.c - an XDP parser with packet bounds: Ethernet, IPv4, UDP.
 * UDP to port 9 (discard) is dropped, UDP to port 7 (echo) is sent back
 * with MAC and IP addresses swapped, everything else passes; a packet cut
 * short is aborted. Each verdict is counted in an array map.
 */
//! case udp-discard-dropped
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 01 0a 00 00 02 04 d2 00 09 00 0d a3 24 68 65 6c 6c 6f
//! retval 1
//! map verdicts 01000000 = 0100000000000000
//! kernel verdicts
//! case udp-echo-swapped
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 01 0a 00 00 02 04 d2 00 07 00 0d a3 26 68 65 6c 6c 6f
//! retval 3
//! data_out 02 00 00 00 00 01 02 00 00 00 00 02 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 02 0a 00 00 01 00 07 04 d2 00 0d a3 26 68 65 6c 6c 6f
//! kernel verdicts
//! case udp-dns-passes-repeat
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 01 0a 00 00 02 04 d2 00 35 00 0d a2 f8 68 65 6c 6c 6f
//! args repeat 5
//! retval 2
//! map verdicts 02000000 = 0500000000000000
//! kernel verdicts
//! case truncated-ipv4-aborted
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46
//! retval 0
//! map verdicts 00000000 = 0100000000000000
//! kernel verdicts
//! case arp-passes
//! data ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01
//! retval 2
//! map verdicts 02000000 = 0100000000000000
//! kernel verdicts
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 5);
} verdicts SEC(".maps");

static __always_inline int count(int action)
{
	__u32 key = action;
	__u64 *n = bpf_map_lookup_elem(&verdicts, &key);
	if (n)
		nyk_atomic_add(n, 1);
	return action;
}

static __always_inline void swap_bytes(unsigned char *a, unsigned char *b, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > data_end)
		return count(XDP_ABORTED);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return count(XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return count(XDP_ABORTED);
	if (ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return count(XDP_PASS);
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return count(XDP_ABORTED);
	if (udp->dest == bpf_htons(9))
		return count(XDP_DROP);
	if (udp->dest == bpf_htons(7)) {
		__be16 port = udp->source;
		__be32 addr = ip->saddr;

		swap_bytes(eth->h_dest, eth->h_source, ETH_ALEN);
		ip->saddr = ip->daddr;
		ip->daddr = addr;
		udp->source = udp->dest;
		udp->dest = port;
		return count(XDP_TX);
	}
	return count(XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
