/*
 * unknown_section.c - sections no table knows ("2/7", "tail-3", as
 * iproute2 and old loaders named them): the program type comes from the
 * command line (`type xdp`, as in bpftool's prog load). Without it the run
 * is refused with a message naming the section.
 */
//! case type-given
//! prog 2/7
//! args type xdp
//! data 09 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 90
//! kernel
//! case by-function-name
//! prog tail_three
//! args type xdp
//! data 09 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 12
//! kernel
//! case type-missing
//! prog tail_three
//! data 09 00 00 00 00 00 00 00 00 00 00 00 00 00
//! error tail-3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

SEC("2/7")
int two_seven(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	if (data + 1 > (void *)(long)ctx->data_end)
		return 0;
	return *(__u8 *)data * 10;
}

SEC("tail-3")
int tail_three(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	if (data + 1 > (void *)(long)ctx->data_end)
		return 0;
	return *(__u8 *)data + 3;
}

char LICENSE[] SEC("license") = "GPL";
