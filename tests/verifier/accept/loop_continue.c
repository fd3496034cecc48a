// expect: accept
// A loop with `continue`: the counter still moves on every path around it.
#include "../include/vt.h"

struct slots { __u32 s[16]; };
VT_ARRAY(slots, struct slots, 1);

SEC("xdp")
int loop_cont(struct xdp_md *ctx)
{
	__u32 key = 0, n = 0;
	struct slots *v = bpf_map_lookup_elem(&slots, &key);

	if (!v)
		return XDP_PASS;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 16; i++) {
		if (v->s[i] == 0)
			continue;
		n += v->s[i] & 1;
	}
	return n ? XDP_DROP : XDP_PASS;
}
