// expect: accept
// bpf_skb_load_bytes with a size in [1,16] into a 16-byte buffer.
#include "../include/vt.h"

SEC("tc")
int helper_var_size(struct __sk_buff *skb)
{
	__u8 buf[16] = {};
	__u32 n = (skb->mark & 15) + 1;

	bpf_skb_load_bytes(skb, 0, buf, n);
	return buf[0];
}
