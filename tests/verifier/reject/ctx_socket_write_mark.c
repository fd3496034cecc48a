// expect: reject field mark is read-only
// A socket filter may write cb[] only.
#include "../include/vt.h"

SEC("socket")
int ctx_sock_mark(struct __sk_buff *skb)
{
	skb->mark = 1;
	return 0;
}
