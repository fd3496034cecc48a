// expect: accept
// A bpf_loop callback that stops early by returning 1.
#include "../include/vt.h"

static long stop_at_ten(__u32 i, void *data)
{
	return i >= 10;
}

SEC("tc")
int helper_loop_break(struct __sk_buff *skb)
{
	long n = bpf_loop(1000, stop_at_ten, NULL, 0);

	return n == 11 ? TC_ACT_OK : TC_ACT_SHOT;
}
