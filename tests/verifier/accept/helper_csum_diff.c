// expect: accept
// bpf_csum_diff over a checked packet range (packet memory as a helper argument).
#include "../include/vt.h"

SEC("tc")
int helper_csum(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__be32 *words = data + 14;

	if ((void *)(words + 5) > end)
		return TC_ACT_OK;
	return bpf_csum_diff(0, 0, words, 20, 0) ? TC_ACT_OK : TC_ACT_SHOT;
}
