// expect: accept
// Sample one packet in 64 with bpf_get_prandom_u32 and count it per CPU.
#include "../include/vt.h"

VT_MAP(sampled, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);

SEC("socket")
int sample(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *c;

	if (bpf_get_prandom_u32() & 63)
		return 0;
	c = bpf_map_lookup_elem(&sampled, &key);
	if (c)
		(*c)++;
	return skb->len;
}
