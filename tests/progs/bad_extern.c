/*
 * bad_extern.c - a call to a function that is defined nowhere (a missing
 * library, or memcpy the compiler emitted): the loader refuses the object
 * with an error that names the function.
 */
//! case undefined-function
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! error checksum_from_elsewhere
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int checksum_from_elsewhere(void *data, int len);

SEC("xdp")
int calls_missing(struct xdp_md *ctx)
{
	return checksum_from_elsewhere((void *)(long)ctx->data, 14);
}

char LICENSE[] SEC("license") = "GPL";
