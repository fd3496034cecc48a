// expect: accept
// An index bounded by masking: & 7 on an array of 8.
#include "../include/vt.h"

struct slots { __u32 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int map_mask(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
	v->s[skb->hash & 7] += 1;
	return TC_ACT_OK;
}
