// expect: reject is outside the frame [-512,0)
// The callee writes 8 bytes past the end of the 8-byte buffer it was given (into the caller's frame top).
#include "../include/vt.h"

static __attribute__((noinline)) void fill(__u64 *p)
{
	p[0] = 1;
	VT_OPAQUE(p);
	p[1] = 2;
}

SEC("tc")
int call_oob(struct __sk_buff *skb)
{
	__u64 x;

	fill(&x);
	return x & 1;
}
