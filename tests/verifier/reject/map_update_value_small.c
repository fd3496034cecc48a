// expect: reject is outside the frame [-512,0)
// The value buffer on the stack is 4 bytes; the map's value is 16.
#include "../include/vt.h"

struct val { __u64 a, b; };
VT_HASH(m, __u32, struct val, 16);

SEC("xdp")
int map_small_value(struct xdp_md *ctx)
{
	__u32 key = 1, small = 0;

	VT_OPAQUE(small);
	bpf_map_update_elem(&m, &key, &small, BPF_ANY);
	return XDP_PASS;
}
