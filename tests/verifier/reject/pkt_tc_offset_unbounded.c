// expect: reject is beyond the checked range
// A packet offset from a map used without an upper bound. The kernel caps packet offsets at 0xffff (MAX_PACKET_OFF) and refuses the access; the program is otherwise safe (the check covers p + 4), so this tests kernel conformance, not safety.
#include "../include/vt.h"

VT_ARRAY(offsets, __u32, 1);

SEC("tc")
int tc_cfg_off_bad(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 key = 0, *off = bpf_map_lookup_elem(&offsets, &key), o;

	if (!off)
		return TC_ACT_OK;
	o = *off;
	if (data + o + 4 > end)
		return TC_ACT_OK;
	return *(__u32 *)(data + o) == 0xdeadbeef ? TC_ACT_SHOT : TC_ACT_OK;
}
