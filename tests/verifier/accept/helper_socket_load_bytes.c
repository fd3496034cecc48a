// expect: accept
// A socket filter reading the packet through bpf_skb_load_bytes.
#include "../include/vt.h"

SEC("socket")
int helper_sock_load(struct __sk_buff *skb)
{
	__u8 b[4];

	if (bpf_skb_load_bytes(skb, 0, b, 4) < 0)
		return 0;
	return b[0] >> 4 == 4 ? skb->len : 0;
}
