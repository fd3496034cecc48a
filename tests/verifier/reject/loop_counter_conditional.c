// expect: reject may not terminate
// The counter moves only when a data-dependent condition holds; otherwise the loop spins.
#include "../include/vt.h"

SEC("tc")
int loop_cond_inc(struct __sk_buff *skb)
{
	__u32 acc = skb->hash;
	int i = 0;

	asm volatile("" : "+r"(i));
#pragma clang loop unroll(disable)
	while (i < 16) {
		acc = acc * 1103515245 + 12345;
		VT_OPAQUE(acc);
		if (acc & 0x10000)
			i++;
		VT_OPAQUE(i);
	}
	return acc & 1;
}
