// expect: reject is beyond the checked range
// cgroup_skb has data/data_end too; the read is still unchecked.
#include "../include/vt.h"

SEC("cgroup_skb/egress")
int cg_direct(struct __sk_buff *skb)
{
	struct iphdr *ip = (void *)(long)skb->data;

	return ip->version == 4 ? 1 : 0;
}
