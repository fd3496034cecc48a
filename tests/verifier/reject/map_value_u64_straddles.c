// expect: reject is outside the value of 12 bytes
// An 8-byte read at offset 8 of a 12-byte value.
#include "../include/vt.h"

struct val { __u32 a, b, c; };
VT_ARRAY(vals, struct val, 1);

SEC("tc")
int map_straddle(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return TC_ACT_OK;
	return *(__u64 *)&v->c == 3 ? TC_ACT_SHOT : TC_ACT_OK;
}
