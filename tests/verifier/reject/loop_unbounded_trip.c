// expect: reject may not terminate
// The trip count is a full 64-bit value from a helper.
#include "../include/vt.h"

SEC("tc")
int loop_unbounded(struct __sk_buff *skb)
{
	__u64 n = bpf_ktime_get_ns(), acc = 0;

#pragma clang loop unroll(disable)
	for (__u64 i = 0; i < n; i++) {
		acc += i;
		VT_OPAQUE(acc);
	}
	return acc & 1;
}
