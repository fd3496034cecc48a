// expect: reject is outside the value of 32 bytes
// i <= 8 on an array of 8: the last index is one past.
#include "../include/vt.h"

struct slots { __u32 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int map_le(struct __sk_buff *skb)
{
	__u32 key = 0, i = skb->mark;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
	if (i <= 8)
		v->s[i] = 1;
	return TC_ACT_OK;
}
