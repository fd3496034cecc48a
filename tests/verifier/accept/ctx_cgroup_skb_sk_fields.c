// expect: accept
// cgroup_skb may read the socket fields (family, addresses, ports).
#include "../include/vt.h"

SEC("cgroup_skb/egress")
int ctx_cg(struct __sk_buff *skb)
{
	if (skb->family == 2 && skb->remote_port == bpf_htons(25) && skb->local_ip4 != skb->remote_ip4)
		return 0;
	return 1;
}
