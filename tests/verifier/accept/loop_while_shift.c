// expect: accept
// A loop that halves a value until it is zero: at most 32 turns for a u32.
#include "../include/vt.h"

SEC("tc")
int loop_shift(struct __sk_buff *skb)
{
	__u32 x = skb->hash;
	int bits = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 32 && x; i++) {
		x >>= 1;
		bits++;
	}
	return bits > 16;
}
