// expect: reject is a scalar, not a pointer
// bpf_skb_pull_data may move the packet; the old pointer is dead.
#include "../include/vt.h"

SEC("tc")
int tc_stale(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 > end)
		return TC_ACT_OK;
	bpf_skb_pull_data(skb, 64);
	return data[13] ? TC_ACT_OK : TC_ACT_SHOT;
}
