// expect: accept
// A per-CPU array: no atomics needed, value read and written after the null check.
#include "../include/vt.h"

VT_MAP(pcpu, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 4);

SEC("socket")
int map_percpu(struct __sk_buff *skb)
{
	__u32 key = skb->pkt_type & 3;
	__u64 *c = bpf_map_lookup_elem(&pcpu, &key);

	if (c)
		*c += skb->len;
	return 0;
}
