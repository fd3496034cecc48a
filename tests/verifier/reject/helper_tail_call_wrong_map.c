// expect: reject wants a prog_array map
// bpf_tail_call given an ordinary array.
#include "../include/vt.h"

VT_ARRAY(notprogs, __u32, 4);

SEC("xdp")
int helper_tail_wrong(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &notprogs, 0);
	return XDP_PASS;
}
