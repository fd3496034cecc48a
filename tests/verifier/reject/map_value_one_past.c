// expect: reject is outside the value of 16 bytes
// A read one byte past a 16-byte value.
#include "../include/vt.h"

struct val { __u8 b[16]; };
VT_ARRAY(vals, struct val, 4);

SEC("xdp")
int map_one_past(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u8 *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return XDP_PASS;
	return v[16] ? XDP_DROP : XDP_PASS;
}
