// expect: accept
// The trip count comes from the context, masked to [0,63].
#include "../include/vt.h"

SEC("tc")
int loop_var(struct __sk_buff *skb)
{
	__u32 n = skb->mark & 63, acc = 0;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < n; i++) {
		acc += i ^ skb->len;
		VT_OPAQUE(acc);
	}
	return acc & 1;
}
