// expect: accept
// The remote_ip6 array is read word by word.
#include "../include/vt.h"

SEC("cgroup_skb/ingress")
int ctx_cg6(struct __sk_buff *skb)
{
	__u32 x = skb->remote_ip6[0] ^ skb->remote_ip6[1] ^ skb->remote_ip6[2] ^ skb->remote_ip6[3];

	return x == 0 ? 0 : 1;
}
