// expect: reject may not terminate
// The counter is never incremented (a forgotten i++).
#include "../include/vt.h"

SEC("tc")
int loop_stuck(struct __sk_buff *skb)
{
	__u32 acc = skb->len;
	int i = 0;

	asm volatile("" : "+r"(i));
	while (i < 10) {
		acc = acc * 3 + 1;
		VT_OPAQUE(acc);
		VT_OPAQUE(i);
	}
	return acc & 1;
}
