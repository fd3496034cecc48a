// expect: accept
// The exit test is i != 48 with a step of 1 from 0.
#include "../include/vt.h"

SEC("tc")
int loop_ne(struct __sk_buff *skb)
{
	__u32 acc = skb->mark;
	int i = 0;

	asm volatile("" : "+r"(i));
#pragma clang loop unroll(disable)
	while (i != 48) {
		acc = acc * 7 + i;
		VT_OPAQUE(acc);
		i++;
	}
	return acc & 1;
}
