// expect: accept
// The step is 1 to 4 (a masked value plus 1), never 0: at most 100 turns.
#include "../include/vt.h"

SEC("tc")
int loop_var_step(struct __sk_buff *skb)
{
	__u32 step = (skb->hash & 3) + 1, acc = 0;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 100; i += step) {
		acc = acc * 3 + i;
		VT_OPAQUE(acc);
	}
	return acc & 1;
}
