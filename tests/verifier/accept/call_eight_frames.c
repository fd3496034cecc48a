// expect: accept
// main plus seven nested subprograms: eight frames, the limit.
#include "../include/vt.h"

#define LEVEL(name, next)                                                           \
	static __attribute__((noinline)) __u32 name(__u32 x)                        \
	{                                                                           \
		return next(x + 1) ^ x;                                             \
	}
static __attribute__((noinline)) __u32 g7(__u32 x)
{
	return x * 3;
}
LEVEL(g6, g7)
LEVEL(g5, g6)
LEVEL(g4, g5)
LEVEL(g3, g4)
LEVEL(g2, g3)
LEVEL(g1, g2)

SEC("tc")
int call_8(struct __sk_buff *skb)
{
	return g1(skb->len) & 1;
}
