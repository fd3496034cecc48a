// expect: accept
// tc rewrites the destination address with bpf_skb_store_bytes and fixes the checksum with bpf_l3_csum_replace.
#include "../include/vt.h"

SEC("tc")
int tc_dnat(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	__be32 old, new = bpf_htonl(0x0a000001);

	if ((void *)(ip + 1) > end)
		return TC_ACT_OK;
	old = ip->daddr;
	bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, daddr), &new, 4, 0);
	bpf_l3_csum_replace(skb, ETH_HLEN + offsetof(struct iphdr, check), old, new, 4);
	return TC_ACT_OK;
}
