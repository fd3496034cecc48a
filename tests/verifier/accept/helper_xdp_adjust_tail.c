// expect: accept
// flags: privileged
// clang computes data_end - data with 32-bit ops on the pointers (w3 -= w2): only privileged loaders may (the kernel as root does)
// bpf_xdp_adjust_tail trims the packet; the pointers are reloaded after it.
#include "../include/vt.h"

SEC("xdp")
int helper_trim(struct xdp_md *ctx)
{
	__u8 *data, *end;

	if (ctx->data_end - ctx->data > 100 && bpf_xdp_adjust_tail(ctx, -4))
		return XDP_ABORTED;
	data = PKT_BEGIN(ctx);
	end = PKT_END(ctx);
	if (data + 1 > end)
		return XDP_DROP;
	return data[0] ? XDP_PASS : XDP_DROP;
}
