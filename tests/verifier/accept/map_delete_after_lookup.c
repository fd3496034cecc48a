// expect: accept
// Lookup, then delete the same key when the entry expired.
#include "../include/vt.h"

VT_HASH(seen, __u32, __u64, 128);

SEC("tc")
int map_delete(struct __sk_buff *skb)
{
	__u32 key = skb->hash;
	__u64 *ts = bpf_map_lookup_elem(&seen, &key);

	if (ts && bpf_ktime_get_ns() - *ts > 1000000000ull)
		bpf_map_delete_elem(&seen, &key);
	return TC_ACT_OK;
}
