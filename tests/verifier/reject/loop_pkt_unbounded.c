// expect: reject is beyond the checked range
// A loop over the packet with no counter: p advances by a byte read from the packet, which may be 0 (it may never end). The kernel refuses the read p[0] first (after 256 turns its offsets pass MAX_PACKET_OFF and the range is lost), as nyuki does once the offset is widened.
#include "../include/vt.h"

SEC("xdp")
int loop_pkt_stuck(struct xdp_md *ctx)
{
	__u8 *p = PKT_BEGIN(ctx), *end = PKT_END(ctx);
	__u32 n = 0;

#pragma clang loop unroll(disable)
	while (p + 1 <= end) {
		n++;
		p += p[0];
	}
	return n & 1;
}
