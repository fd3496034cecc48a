// expect: reject is outside the value of 64 bytes
// An index in [-4,3] (masked, then 4 subtracted) reaches before the value.
#include "../include/vt.h"

struct slots { __u64 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int map_neg(struct __sk_buff *skb)
{
	__u32 key = 0;
	long i = (skb->mark & 7) - 4;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	VT_OPAQUE(i);
	if (!v)
		return TC_ACT_OK;
	return v->s[i] ? TC_ACT_SHOT : TC_ACT_OK;
}
