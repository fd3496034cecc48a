// expect: reject is beyond the checked range
// The check covers 14 bytes; a 2-byte read at offset 13 needs 15.
#include "../include/vt.h"

SEC("xdp")
int xdp_one_past(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 14 > end)
		return XDP_DROP;
	return *(__u16 *)(data + 13) == 0 ? XDP_DROP : XDP_PASS;
}
