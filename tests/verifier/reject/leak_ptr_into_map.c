// expect: reject leaks a map_value pointer into a map value
// kernel: skip root may store pointers into map values (allow_ptr_leaks)
// A map value's own address stored into it: a kernel address for user space to read.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("socket")
int leak_map(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (v)
		*v = (__u64)v;
	return 0;
}
