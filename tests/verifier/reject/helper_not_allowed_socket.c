// expect: reject is not allowed in socket_filter programs
// Socket filters cannot modify the packet: bpf_skb_store_bytes.
#include "../include/vt.h"

SEC("socket")
int helper_store_in_sock(struct __sk_buff *skb)
{
	__u32 v = 0;

	bpf_skb_store_bytes(skb, 0, &v, 4, 0);
	return 0;
}
