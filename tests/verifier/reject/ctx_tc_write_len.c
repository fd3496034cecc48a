// expect: reject field len is read-only
// __sk_buff.len is read-only for tc.
#include "../include/vt.h"

SEC("tc")
int ctx_write_len(struct __sk_buff *skb)
{
	skb->len = 10;
	return TC_ACT_OK;
}
