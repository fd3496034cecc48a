// expect: accept
// for (i = 0; i < 100; i++): counting up to a constant.
#include "../include/vt.h"

VT_ARRAY(vals, __u64, 100);

SEC("tc")
int loop_up(struct __sk_buff *skb)
{
	__u64 sum = 0;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 100; i++) {
		__u32 k = i;
		__u64 *v = bpf_map_lookup_elem(&vals, &k);

		if (v)
			sum += *v;
	}
	return sum > 10 ? TC_ACT_SHOT : TC_ACT_OK;
}
