// expect: accept
// The last 8 bytes of a 24-byte value (off 16 size 8).
#include "../include/vt.h"

struct stats { __u64 pkts, bytes, drops; };
VT_ARRAY(stats, struct stats, 1);

SEC("tc")
int map_last_u64(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct stats *s = bpf_map_lookup_elem(&stats, &key);

	if (s)
		s->drops += 1;
	return TC_ACT_OK;
}
