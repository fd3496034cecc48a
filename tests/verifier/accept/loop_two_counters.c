// expect: accept
// Two counters, one up and one down; the down one bounds the loop, the up one indexes.
#include "../include/vt.h"

struct slots { __u16 s[16]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int loop_two(struct __sk_buff *skb)
{
	__u32 key = 0, sum = 0;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);
	int left = 16, i = 0;

	if (!v)
		return TC_ACT_OK;
#pragma clang loop unroll(disable)
	while (left > 0) {
		sum += v->s[i & 15];
		i++;
		left--;
		VT_OPAQUE(left);
	}
	return sum & 1;
}
