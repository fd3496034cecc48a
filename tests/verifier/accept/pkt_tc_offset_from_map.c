// expect: accept
// A packet offset configured in a map, bounded by a compare, then checked against data_end.
#include "../include/vt.h"

VT_ARRAY(offsets, __u32, 1);

SEC("tc")
int tc_cfg_off(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 key = 0, *off = bpf_map_lookup_elem(&offsets, &key), o;

	if (!off)
		return TC_ACT_OK;
	o = *off;
	if (o > 1500)
		return TC_ACT_OK;
	if (data + o + 4 > end)
		return TC_ACT_OK;
	return *(__u32 *)(data + o) == 0xdeadbeef ? TC_ACT_SHOT : TC_ACT_OK;
}
