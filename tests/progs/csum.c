/*
 * csum.c - checksum helpers in a tc program: NAT of the IPv4 destination
 * 10.0.0.2 -> 10.0.0.99 with bpf_l3_csum_replace (IP header checksum) and
 * bpf_l4_csum_replace with BPF_F_PSEUDO_HDR (UDP checksum); then
 * bpf_csum_diff recomputes the IP header checksum from scratch, folded to
 * 16 bits, into `sums` for comparison with the incremental result.
 */
//! case nat-destination
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c fa b6 64 61 74 61
//! retval 0
//! data_out 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 24
//! data_out 0a 00 00 01 0a 00 00 63 04 d2 13 88 00 0c fa 55 64 61 74 61
//! map sums 00000000 = 0a24 0a24 0000 0000
//! kernel sums
//! case other-destination-untouched
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 24
//! data 0a 00 00 01 0a 00 00 63 04 d2 13 88 00 0c fa 55 64 61 74 61
//! retval 1
//! data_out 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 24
//! data_out 0a 00 00 01 0a 00 00 63 04 d2 13 88 00 0c fa 55 64 61 74 61
//! kernel sums
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

#define IP_CSUM_OFF (ETH_HLEN + offsetof(struct iphdr, check))
#define IP_DST_OFF (ETH_HLEN + offsetof(struct iphdr, daddr))
#define UDP_CSUM_OFF (ETH_HLEN + sizeof(struct iphdr) + offsetof(struct udphdr, check))

struct sums {
	__be16 incremental;   /* the header's checksum after the helpers */
	__be16 recomputed;    /* from bpf_csum_diff over the header */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sums);
} sums SEC(".maps");

static __always_inline __u16 fold(__s64 sum)
{
	__u32 s = sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ~s;
}

SEC("tc")
int nat(struct __sk_buff *skb)
{
	__be32 old_dst = bpf_htonl(0x0a000002), new_dst = bpf_htonl(0x0a000063);
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct iphdr copy;
	struct sums *s;
	__u32 zero = 0;

	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->daddr != old_dst)
		return 1;
	bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_dst, new_dst, BPF_F_PSEUDO_HDR | sizeof(new_dst));
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_dst, new_dst, sizeof(new_dst));
	bpf_skb_store_bytes(skb, IP_DST_OFF, &new_dst, sizeof(new_dst), 0);

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > data_end)
		return 2;
	s = bpf_map_lookup_elem(&sums, &zero);
	if (!s)
		return 3;
	s->incremental = ip->check;
	__builtin_memcpy(&copy, ip, sizeof(copy));
	copy.check = 0;
	s->recomputed = fold(bpf_csum_diff(NULL, 0, (__be32 *)&copy, sizeof(copy), 0));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
