// expect: reject may not terminate
// The counter is reset inside the loop on one path.
#include "../include/vt.h"

SEC("tc")
int loop_reset(struct __sk_buff *skb)
{
	__u32 acc = skb->hash;
	int i = 0;

	asm volatile("" : "+r"(i));
#pragma clang loop unroll(disable)
	while (i < 16) {
		acc = acc * 5 + 3;
		VT_OPAQUE(acc);
		if (acc & 1)
			i = 0;
		else
			i++;
		VT_OPAQUE(i);
	}
	return acc & 1;
}
