// expect: accept
// The nullable lookup result is passed to a subprogram that checks it.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 16);

static __attribute__((noinline)) int bump(__u64 *v)
{
	if (!v)
		return 0;
	*v += 1;
	return 1;
}

SEC("tc")
int call_null_callee(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;

	return bump(bpf_map_lookup_elem(&m, &key)) ? TC_ACT_OK : TC_ACT_SHOT;
}
