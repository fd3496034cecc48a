// expect: accept
// Two checks one after the other: Ethernet, then a VLAN tag; the second covers off 16 size 2.
#include "../include/vt.h"

SEC("tc")
int tc_vlan(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 > end)
		return TC_ACT_OK;
	if (*(__u16 *)(data + 12) != bpf_htons(ETH_P_8021Q))
		return TC_ACT_OK;
	if (data + 18 > end)
		return TC_ACT_OK;
	return *(__u16 *)(data + 16) == bpf_htons(ETH_P_IP) ? TC_ACT_OK : TC_ACT_SHOT;
}
