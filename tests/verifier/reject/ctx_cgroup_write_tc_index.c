// expect: reject field tc_index is read-only
// cgroup_skb cannot write tc_index.
#include "../include/vt.h"

SEC("cgroup_skb/egress")
int ctx_cg_tci(struct __sk_buff *skb)
{
	skb->tc_index = 1;
	return 1;
}
