// expect: accept
// bpf_ringbuf_output copies a stack record.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("tc")
int helper_rb_output(struct __sk_buff *skb)
{
	struct { __u32 len, mark; } rec = { skb->len, skb->mark };

	bpf_ringbuf_output(&events, &rec, sizeof(rec), 0);
	return TC_ACT_OK;
}
