// expect: accept
// A socket filter reads len, protocol, pkt_type, ifindex and writes cb[].
#include "../include/vt.h"

SEC("socket")
int ctx_sock(struct __sk_buff *skb)
{
	skb->cb[1] = skb->protocol;
	if (skb->pkt_type == 0 && skb->ifindex)
		return skb->len;
	return 0;
}
