// expect: reject is outside the value of 64 bytes
// The same walk, 9 steps: the last read is past the value.
#include "../include/vt.h"

struct blob { __u64 w[8]; };
VT_ARRAY(blobs, struct blob, 1);

SEC("tc")
int loop_walk_past(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct blob *b = bpf_map_lookup_elem(&blobs, &key);
	__u64 x = 0, *p;

	if (!b)
		return TC_ACT_OK;
	p = b->w;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 9; i++) {
		x ^= *p;
		p++;
		VT_OPAQUE(p);
	}
	return x & 1;
}
