/*
 * bad_helper.c - a call to a helper id no kernel has (999): refused at
 * load with the id, the program and the instruction (and, with -g, the
 * source line).
 */
//! case unknown-helper-id
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! error 999
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static long (*bpf_no_such_helper)(void *ctx) = (void *)999;

SEC("xdp")
int calls_unknown(struct xdp_md *ctx)
{
	return bpf_no_such_helper(ctx);
}

char LICENSE[] SEC("license") = "GPL";
