// expect: accept
// Copy up to 32 packet bytes into a map value, one checked byte at a time.
#include "../include/vt.h"

struct sample { __u8 bytes[32]; __u32 n; };
VT_ARRAY(samples, struct sample, 1);

SEC("xdp")
int xdp_copy(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 key = 0;
	struct sample *s = bpf_map_lookup_elem(&samples, &key);
	__u32 i;

	if (!s)
		return XDP_PASS;
#pragma clang loop unroll(disable)
	for (i = 0; i < 32; i++) {
		if (data + i + 1 > end)
			break;
		s->bytes[i] = data[i];
	}
	s->n = i;
	return XDP_PASS;
}
