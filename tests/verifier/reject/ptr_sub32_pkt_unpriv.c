// expect: reject 32-bit subtraction of a pkt
// kernel: skip root may subtract pointers in 32 bits (allow_ptr_leaks turns the result into a scalar)
// The usual `ctx->data_end - ctx->data` as clang -mcpu=v3 compiles it (w-register subtraction of two
// packet pointers): refused for an unprivileged loader; see accept/map_bss_write.c for the privileged case.
#include "../include/vt.h"

__u32 last_len;

SEC("xdp")
int sub32(struct xdp_md *ctx)
{
	last_len = ctx->data_end - ctx->data;
	return XDP_PASS;
}
