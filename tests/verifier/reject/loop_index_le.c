// expect: reject is outside the value of 32 bytes
// for (i = 0; i <= 8; i++) over an array of 8: the last turn reads one past.
#include "../include/vt.h"

struct slots { __u32 s[8]; };
VT_ARRAY(slots, struct slots, 1);

SEC("tc")
int loop_le(struct __sk_buff *skb)
{
	__u32 key = 0, sum = 0;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return TC_ACT_OK;
#pragma clang loop unroll(disable)
	for (int i = 0; i <= 8; i++)
		sum += v->s[i];
	return sum & 1;
}
