// expect: accept
// flags: privileged
// Privileged: a map value's address stored into the map.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("socket")
int leak_map_priv(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (v)
		*v = (__u64)v;
	return 0;
}
