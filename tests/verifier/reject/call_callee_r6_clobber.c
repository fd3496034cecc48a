// expect: reject is not initialised
// A subprogram reads r1 after calling a helper (r1-r5 are clobbered inside the callee too).
#include "../include/vt.h"

static __attribute__((noinline)) __u64 sub(__u64 x)
{
	__u64 r;

	asm volatile("call 5\n"
		     "%0 = r1\n"
		     : "=r"(r) : : "r0", "r1", "r2", "r3", "r4", "r5");
	return r + x;
}

SEC("tc")
int call_clobber(struct __sk_buff *skb)
{
	return sub(skb->len) & 1;
}
