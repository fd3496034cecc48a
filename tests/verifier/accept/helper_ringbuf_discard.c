// expect: accept
// A reservation released by submit on one path and discard on the other.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("xdp")
int helper_rb_discard(struct xdp_md *ctx)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	if (!e)
		return XDP_PASS;
	*e = ctx->ingress_ifindex;
	if (*e == 1)
		bpf_ringbuf_discard(e, 0);
	else
		bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}
