// expect: accept
// The loop counter indexes a map value array: its bounds come from the loop condition.
#include "../include/vt.h"

struct hist { __u64 b[32]; };
VT_ARRAY(hist, struct hist, 1);

SEC("tc")
int loop_index(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct hist *h = bpf_map_lookup_elem(&hist, &key);
	__u64 total = 0;

	if (!h)
		return TC_ACT_OK;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 32; i++)
		total += h->b[i];
	return total > 1000;
}
