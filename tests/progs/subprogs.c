/*
 * subprogs.c - bpf-to-bpf calls: static and global subprograms in .text,
 * shared by two programs (each is linked with its own copy), a call chain
 * three deep, and a subprogram that takes the context.
 */
//! case gcd-and-mix
//! prog calls_a
//! data 30 00 00 00 12 00 00 00 00 00 00 00 00 00
//! retval 6354
//! kernel
//! case second-program-shares-subprograms
//! prog calls_b
//! data 30 00 00 00 12 00 00 00 00 00 00 00 00 00 00 00
//! retval 6016
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

static __attribute__((noinline)) __u32 gcd(__u32 a, __u32 b)
{
	for (int i = 0; i < 64 && b; i++) {
		__u32 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

__attribute__((noinline)) int mix(__u32 a, __u32 b)
{
	return gcd(a, b) * 100 + (a ^ b);
}

static nyk_subprog int packet_len(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

static nyk_subprog int first_words(struct xdp_md *ctx, __u32 *a, __u32 *b)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *w = data;

	if ((void *)(w + 2) > data_end)
		return -1;
	*a = w[0];
	*b = w[1];
	return 0;
}

SEC("xdp")
int calls_a(struct xdp_md *ctx)
{
	__u32 a = 0, b = 0;

	if (first_words(ctx, &a, &b))
		return 0;
	return mix(a, b) * 10 + packet_len(ctx);
}

SEC("xdp")
int calls_b(struct xdp_md *ctx)
{
	__u32 a = 0, b = 0;

	if (first_words(ctx, &a, &b))
		return 0;
	return gcd(a, b) * 1000 + packet_len(ctx);
}

char LICENSE[] SEC("license") = "GPL";
