// expect: reject field protocol is read-only
// __sk_buff.protocol is read-only.
#include "../include/vt.h"

SEC("tc")
int ctx_write_proto(struct __sk_buff *skb)
{
	skb->protocol = bpf_htons(ETH_P_IPV6);
	return TC_ACT_OK;
}
