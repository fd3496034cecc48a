// expect: reject may be 0
// bpf_skb_load_bytes wants a size > 0; a size in [0,7] may be zero.
#include "../include/vt.h"

SEC("tc")
int helper_zero(struct __sk_buff *skb)
{
	__u8 buf[8] = {};
	__u32 n = skb->mark & 7;

	bpf_skb_load_bytes(skb, 0, buf, n);
	return buf[0];
}
