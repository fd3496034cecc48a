// expect: accept
// bpf_tail_call through a prog_array; falls through when the slot is empty.
#include "../include/vt.h"

VT_PROG_ARRAY(jmp, 4);

SEC("xdp")
int helper_tail(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jmp, ctx->rx_queue_index & 3);
	return XDP_PASS;
}
