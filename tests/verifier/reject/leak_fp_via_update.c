// expect: reject leaks a fp pointer
// kernel: skip root may store pointers into map values (allow_ptr_leaks)
// A stack address spilled into the value buffer passed to bpf_map_update_elem.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 4);

SEC("socket")
int leak_fp(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 val;

	val = (__u64)&key;
	bpf_map_update_elem(&m, &key, &val, BPF_ANY);
	return 0;
}
