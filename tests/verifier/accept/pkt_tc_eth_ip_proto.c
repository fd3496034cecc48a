// expect: accept
// tc classifier: Ethernet + IPv4 header checks, then the protocol decides.
#include "../include/vt.h"

SEC("tc")
int tc_ip_proto(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (ip->protocol == IPPROTO_ICMP)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}
