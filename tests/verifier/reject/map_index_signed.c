// expect: reject is outside the value of 32 bytes
// A signed index checked only from above: negative values remain.
#include "../include/vt.h"

struct slots { __u32 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int map_signed(struct __sk_buff *skb)
{
	__u32 key = 0;
	int i = (int)skb->mark;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
	if (i < 8)
		v->s[i] = 1;
	return TC_ACT_OK;
}
