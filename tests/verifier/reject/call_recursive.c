// expect: reject recursive call of function at insn
// A subprogram calling itself.
#include "../include/vt.h"

static __attribute__((noinline)) __u32 fact(__u32 n)
{
	__u32 r;

	if (n == 0)
		return 0;
	r = fact(n - 1);
	VT_OPAQUE(r);
	return r * 3 + n;
}

SEC("tc")
int call_rec(struct __sk_buff *skb)
{
	return fact(skb->mark & 7) & 1;
}
