// expect: accept
// A map value (checked) passed to a subprogram that updates it.
#include "../include/vt.h"

struct stats { __u64 pkts, bytes; };
VT_ARRAY(stats, struct stats, 1);

static __attribute__((noinline)) void account(struct stats *s, __u32 len)
{
	s->pkts++;
	s->bytes += len;
}

SEC("tc")
int call_value(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct stats *s = bpf_map_lookup_elem(&stats, &key);

	if (s)
		account(s, skb->len);
	return TC_ACT_OK;
}
