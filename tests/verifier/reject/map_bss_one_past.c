// expect: reject is outside the value of
// A global array indexed one past its end through a pointer the compiler cannot see through.
#include "../include/vt.h"

__u32 table[4];

SEC("xdp")
int map_bss_past(struct xdp_md *ctx)
{
	__u32 *p = table;

	VT_OPAQUE(p);
	return p[4] ? XDP_DROP : XDP_PASS;
}
