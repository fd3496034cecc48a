// expect: reject is not allowed in sched_cls programs
// bpf_xdp_adjust_head (44) in a tc program.
#include "../include/vt.h"

SEC("tc")
int helper_xdp_in_tc(struct __sk_buff *skb)
{
	bpf_xdp_adjust_head(skb, 4);
	return TC_ACT_OK;
}
