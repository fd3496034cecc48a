// expect: reject may be 0
// bpf_skb_load_bytes with the constant size 0 (its size argument must be > 0).
#include "../include/vt.h"

SEC("tc")
int helper_const_zero(struct __sk_buff *skb)
{
	__u8 buf[8] = {};
	__u32 n = 0;

	VT_OPAQUE(n);
	bpf_skb_load_bytes(skb, 0, buf, n);
	return buf[0];
}
