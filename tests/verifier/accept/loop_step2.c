// expect: accept
// A step of 2 over an even bound.
#include "../include/vt.h"

SEC("tc")
int loop_step2(struct __sk_buff *skb)
{
	__u32 acc = skb->hash;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 200; i += 2) {
		acc ^= acc << 3 | i;
		VT_OPAQUE(acc);
	}
	return acc & 1;
}
