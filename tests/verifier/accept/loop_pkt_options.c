// expect: accept
// Walking TCP-like option bytes: each step checks data_end, at most 10 steps.
#include "../include/vt.h"

SEC("xdp")
int loop_opts(struct xdp_md *ctx)
{
	__u8 *p = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	int seen = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 10; i++) {
		if (p + 2 > end)
			break;
		if (p[0] == 0)
			break;
		if (p[0] == 2)
			seen++;
		p += 2;
	}
	return seen ? XDP_PASS : XDP_DROP;
}
