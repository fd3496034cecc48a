// expect: accept
// A tc dispatcher: tail call by protocol, default verdict after it.
#include "../include/vt.h"

VT_PROG_ARRAY(handlers, 256);

SEC("tc")
int dispatch(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + 14;

	if ((void *)(ip + 1) > end)
		return TC_ACT_OK;
	bpf_tail_call(skb, &handlers, ip->protocol);
	return TC_ACT_OK;
}
