/*
 * multi_prog.c - several programs in one section (two in "xdp"), each
 * found by its function name, and a program found by its section name
 * because that is unique ("tc"). Static programs: static_prog.c.
 */
//! case first-of-two
//! prog first
//! data 05 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 6
//! kernel
//! case second-of-two
//! prog second
//! data 05 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 10
//! kernel
//! case by-section-name
//! prog tc
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c fa b6 64 61 74 61
//! retval 46
//! case unknown-program
//! prog nosuch
//! data 05 00 00 00 00 00 00 00 00 00 00 00 00 00
//! error nosuch
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

static __always_inline int first_byte(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 1 > data_end)
		return 0;
	return *(__u8 *)data;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	return first_byte(ctx) + 1;
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	return first_byte(ctx) * 2;
}

SEC("tc")
int only_tc(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
