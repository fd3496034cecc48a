// expect: accept
// bpf_skb_pull_data invalidates the pointers; the program reads them again.
#include "../include/vt.h"

SEC("tc")
int tc_pull(struct __sk_buff *skb)
{
	void *data, *end;

	if (bpf_skb_pull_data(skb, 34))
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + 34 > end)
		return TC_ACT_OK;
	return ((struct iphdr *)(data + 14))->ttl == 1 ? TC_ACT_SHOT : TC_ACT_OK;
}
