// expect: accept
// A bounded search loop with an early break.
#include "../include/vt.h"

struct tbl { __u32 ports[16]; };
VT_ARRAY(allowed, struct tbl, 1);

SEC("xdp")
int loop_break(struct xdp_md *ctx)
{
	__u32 key = 0, want = ctx->rx_queue_index;
	struct tbl *t = bpf_map_lookup_elem(&allowed, &key);
	int found = 0;

	if (!t)
		return XDP_PASS;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 16; i++) {
		if (t->ports[i] == want) {
			found = 1;
			break;
		}
	}
	return found ? XDP_PASS : XDP_DROP;
}
