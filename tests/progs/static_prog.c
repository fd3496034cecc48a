/*
 * static_prog.c - static programs: SEC() on a static function gives a
 * local symbol, a program all the same (libbpf loads them since 1.2; the
 * libbpf 1.1 in bpftool 7.1 refuses them, so no kernel comparison). Two
 * static programs share a section with a global one and a static
 * subprogram.
 */
//! case static-square
//! prog hidden_square
//! data 05 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 25
//! case static-cube
//! prog hidden_cube
//! data 03 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 27
//! case global-beside-them
//! prog visible
//! data 03 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 4
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

static nyk_subprog int first_byte(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 1 > data_end)
		return 0;
	return *(__u8 *)data;
}

SEC("xdp")
static int hidden_square(struct xdp_md *ctx)
{
	int b = first_byte(ctx);

	return b * b;
}

SEC("xdp")
int visible(struct xdp_md *ctx)
{
	return first_byte(ctx) + 1;
}

SEC("xdp")
static int hidden_cube(struct xdp_md *ctx)
{
	int b = first_byte(ctx);

	return b * b * b;
}

char LICENSE[] SEC("license") = "GPL";
