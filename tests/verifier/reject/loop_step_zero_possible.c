// expect: reject may not terminate
// The step is a masked value that may be 0.
#include "../include/vt.h"

SEC("tc")
int loop_step0(struct __sk_buff *skb)
{
	__u32 step = skb->hash & 3, acc = 0;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 100; i += step) {
		acc = acc * 3 + i;
		VT_OPAQUE(acc);
	}
	return acc & 1;
}
