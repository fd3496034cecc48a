// expect: accept
// A static subprogram with five arguments, one of them a pointer to the caller's stack.
#include "../include/vt.h"

static __attribute__((noinline)) int mix(__u32 a, __u32 b, __u32 c, __u32 d, __u64 *out)
{
	*out = (__u64)a * b + c - d;
	return *out & 1;
}

SEC("tc")
int call_five(struct __sk_buff *skb)
{
	__u64 r;

	return mix(skb->len, skb->mark, skb->hash, skb->priority, &r) ? TC_ACT_OK : TC_ACT_SHOT;
}
