// expect: reject is outside the value of 64 bytes
// An index from the context used without a bound.
#include "../include/vt.h"

struct slots { __u64 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int map_unbounded(struct __sk_buff *skb)
{
	__u32 key = 0, i = skb->mark;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
	v->s[i] += 1;
	return TC_ACT_OK;
}
