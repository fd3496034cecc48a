// expect: reject exceeds 512 bytes
// Three frames of about 200 bytes each: 600 > 512.
#include "../include/vt.h"

#define FRAME(name, next)                                                           \
	static __attribute__((noinline)) __u64 name(__u64 x)                        \
	{                                                                           \
		volatile __u64 buf[25];                                             \
		asm volatile("" : : "r"(buf) : "memory");                           \
		buf[0] = x;                                                         \
		buf[24] = next(buf[0] + 1);                                         \
		return buf[24] + buf[0];                                            \
	}
static __attribute__((noinline)) __u64 leaf(__u64 x)
{
	return x * 3;
}
FRAME(f2, leaf)
FRAME(f1, f2)

SEC("tc")
int call_600(struct __sk_buff *skb)
{
	volatile __u64 buf[25];

	asm volatile("" : : "r"(buf) : "memory");
	buf[0] = skb->len;
	buf[24] = f1(buf[0]);
	return buf[24] & 1;
}
