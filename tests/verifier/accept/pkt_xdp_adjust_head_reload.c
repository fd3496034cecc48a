// expect: accept
// After bpf_xdp_adjust_head the pointers are loaded again and checked again.
#include "../include/vt.h"

SEC("xdp")
int xdp_pop(struct xdp_md *ctx)
{
	void *data, *end;

	if (bpf_xdp_adjust_head(ctx, 14))
		return XDP_DROP;
	data = PKT_BEGIN(ctx);
	end = PKT_END(ctx);
	if (data + 1 > end)
		return XDP_DROP;
	return *(__u8 *)data == 0x45 ? XDP_PASS : XDP_DROP;
}
