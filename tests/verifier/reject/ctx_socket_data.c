// expect: reject context access off=76 size=4
// Socket filters have no direct packet access: data is not readable.
#include "../include/vt.h"

SEC("socket")
int ctx_sock_data(struct __sk_buff *skb)
{
	__u32 d = skb->data;

	VT_OPAQUE(d);
	return d;
}
