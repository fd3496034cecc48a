// expect: reject write into a read-only map value
// A store into .rodata (frozen, read-only for programs).
#include "../include/vt.h"

const volatile __u32 threshold = 100;

SEC("xdp")
int map_rodata_w(struct xdp_md *ctx)
{
	*(volatile __u32 *)&threshold = 5;
	return XDP_PASS;
}
