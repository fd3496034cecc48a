// expect: accept
// bpf_skb_load_bytes copies 20 bytes of the packet into a stack buffer.
#include "../include/vt.h"

SEC("tc")
int helper_load_bytes(struct __sk_buff *skb)
{
	struct iphdr ip;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)))
		return TC_ACT_OK;
	return ip.ttl <= 1 ? TC_ACT_SHOT : TC_ACT_OK;
}
