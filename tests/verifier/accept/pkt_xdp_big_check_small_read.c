// expect: accept
// One check of 100 bytes covers a read at offset 50.
#include "../include/vt.h"

SEC("xdp")
int xdp_big(struct xdp_md *ctx)
{
	__u8 *data = PKT_BEGIN(ctx), *end = PKT_END(ctx);

	if (data + 100 > end)
		return XDP_PASS;
	return data[50] + data[99] == 3 ? XDP_DROP : XDP_PASS;
}
