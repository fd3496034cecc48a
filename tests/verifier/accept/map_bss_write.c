// expect: accept
// flags: privileged
// clang computes data_end - data with 32-bit ops on the pointers (w3 -= w2): only privileged loaders may (the kernel as root does)
// Global variables in .bss and .data are writable map values.
#include "../include/vt.h"

__u64 packets;
__u32 last_len = 1;

SEC("xdp")
int map_globals(struct xdp_md *ctx)
{
	packets++;
	last_len = ctx->data_end - ctx->data;
	return XDP_PASS;
}
