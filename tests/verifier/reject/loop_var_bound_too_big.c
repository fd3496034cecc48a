// expect: reject is outside the value of 32 bytes
// The trip count is masked to [0,15] but indexes an array of 8.
#include "../include/vt.h"

struct slots { __u32 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int loop_n15(struct __sk_buff *skb)
{
	__u32 key = 0, sum = 0, n = skb->mark & 15;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < n; i++)
		sum += v->s[i];
	return sum & 1;
}
