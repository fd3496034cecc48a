// expect: accept
// Three frames of about 160 bytes each: 480 of the 512 bytes.
#include "../include/vt.h"

#define FRAME(name, next)                                                           \
	static __attribute__((noinline)) __u64 name(__u64 x)                        \
	{                                                                           \
		volatile __u64 buf[20];                                             \
		asm volatile("" : : "r"(buf) : "memory");                           \
		buf[0] = x;                                                         \
		buf[19] = next(buf[0] + 1);                                         \
		return buf[19] + buf[0];                                            \
	}
static __attribute__((noinline)) __u64 leaf(__u64 x)
{
	return x * 3;
}
FRAME(f2, leaf)
FRAME(f1, f2)

SEC("tc")
int call_480(struct __sk_buff *skb)
{
	volatile __u64 buf[20];

	asm volatile("" : : "r"(buf) : "memory");
	buf[0] = skb->len;
	buf[19] = f1(buf[0]);
	return buf[19] & 1;
}
