// expect: reject may not terminate
// An unsigned counter compared with >= 0 never exits (the classic bug).
#include "../include/vt.h"

SEC("xdp")
int loop_ge0(struct xdp_md *ctx)
{
	__u32 acc = 0;
	__u64 i = 10;

	VT_OPAQUE(i);
#pragma clang loop unroll(disable)
	for (;;) {
		acc += i;
		VT_OPAQUE(acc);
		i--;
		VT_OPAQUE(i);
		if (!(i >= 0))
			break;
	}
	return acc & 1;
}
