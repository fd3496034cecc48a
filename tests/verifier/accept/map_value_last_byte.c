// expect: accept
// Lookup, null check, read of the value's last byte (off 15 size 1 of 16).
#include "../include/vt.h"

struct val { __u8 b[16]; };
VT_ARRAY(vals, struct val, 4);

SEC("xdp")
int map_last_byte(struct xdp_md *ctx)
{
	__u32 key = 1;
	struct val *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return XDP_PASS;
	return v->b[15] ? XDP_DROP : XDP_PASS;
}
