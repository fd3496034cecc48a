// expect: reject leaks a ctx pointer into a map value
// kernel: skip root may store pointers into map values (allow_ptr_leaks)
// The __sk_buff pointer saved in a map.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("socket")
int leak_ctx(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (v)
		*v = (__u64)skb;
	return 0;
}
