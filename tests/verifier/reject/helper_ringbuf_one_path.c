// expect: reject is not released before exit
// Submitted on one path, forgotten on the other.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("xdp")
int helper_rb_path(struct xdp_md *ctx)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	if (!e)
		return XDP_PASS;
	*e = ctx->ingress_ifindex;
	if (*e == 1)
		return XDP_DROP;
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}
