/*
 * tc_skb.c - a tc classifier over __sk_buff: reads len, protocol, mark,
 * priority and cb[0] (mark, priority and cb come from ctx_in), reads and
 * writes the packet directly and with bpf_skb_load_bytes/store_bytes, sets
 * mark and cb[1] (seen in ctx_out). Drops UDP to port 9 (TC_ACT_SHOT),
 * passes the rest (TC_ACT_OK) with the TTL set to 1 and the first
 * destination MAC byte set to 0xaa.
 */
//! case pass-and-rewrite
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c 30 f7 64 61 74 61
//! ctx 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 00 00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 34 12 00 00
//! retval 0
//! data_out aa 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 01 11 0a 85
//! data_out 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c 30 f7 64 61 74 61
//! map info 00000000 = 2e000000 0008 1100 11000000 07000000 34120000 8813 0000
//! ctx_out_at 8 12000000
//! ctx_out_at 52 cdab0000
//! kernel info
//! case drop-port-9
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 00 09 00 0c b5 5c 64 72 6f 70
//! retval 2
//! map info 00000000 = 2e000000 0008 1100 00000000 00000000 00000000 0900 0000
//! kernel info
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct info {
	__u32 len;
	__u16 protocol;   /* host order */
	__u16 ip_proto;
	__u32 mark;
	__u32 priority;
	__u32 cb0;
	__u16 dport;      /* host order */
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct info);
} info SEC(".maps");

SEC("tc")
int classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr udp;
	__u32 zero = 0;
	struct info *in = bpf_map_lookup_elem(&info, &zero);
	__u8 mac0 = 0xaa;

	if (!in)
		return TC_ACT_OK;
	in->len = skb->len;
	in->protocol = bpf_ntohs(skb->protocol);
	in->mark = skb->mark;
	in->priority = skb->priority;
	in->cb0 = skb->cb[0];
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	in->ip_proto = ip->protocol;
	if (ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, sizeof(*eth) + sizeof(*ip), &udp, sizeof(udp)) < 0)
		return TC_ACT_OK;
	in->dport = bpf_ntohs(udp.dest);
	if (udp.dest == bpf_htons(9))
		return TC_ACT_SHOT;

	ip->ttl = 1;   /* direct write; the checksum is left alone */
	skb->mark = skb->mark + 1;
	skb->cb[1] = 0xabcd;
	bpf_skb_store_bytes(skb, 0, &mac0, 1, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
