// expect: accept
// tc writes the IPv4 TOS byte after a check of 34 bytes.
#include "../include/vt.h"

SEC("tc")
int tc_tos(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > end)
		return TC_ACT_OK;
	ip->tos = 0x10;
	return TC_ACT_OK;
}
