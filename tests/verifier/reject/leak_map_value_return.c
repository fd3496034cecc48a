// expect: reject as the return value
// kernel: skip root may return pointers (allow_ptr_leaks)
// A map value's address returned by a socket filter.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("socket")
int leak_ret(struct __sk_buff *skb)
{
	__u32 key = 0;

	return (long)bpf_map_lookup_elem(&m, &key);
}
