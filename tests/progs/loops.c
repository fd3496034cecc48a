/*
 * loops.c - bpf_loop with a callback that stops early, a bounded for loop
 * over the packet and a while loop the verifier bounds by itself.
 * The first packet byte is the last index of the bpf_loop sum of squares.
 * Returns squares + iterations * 10^4 + byte sum * 10^6 + popcount * 10^8.
 */
//! gcc-args --no-verify
// (gcc-bpf 12 unrolls the packet loop into a pointer walk ending on
// p == data + 63: offsets that are multiples of 9, which no interval shows,
// so the range check is refused once the offset is widened; the kernel
// refuses that shape too: "The sequence of 8193 jumps is too complex".)
//! case limit-10
//! data 0a 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d
//! retval 301110385
//! kernel
//! case limit-0
//! data 00 01 00 00 00 00 00 00 00 00 00 00 00 ff
//! retval 256010000
//! kernel
//! case never-stops-early
//! data ff 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 1056328350
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct squares {
	__u64 sum;
	__u32 last;
};

static long add_square(__u32 i, void *data)
{
	struct squares *s = data;

	s->sum += (__u64)i * i;
	return i >= s->last;   /* 1 stops the loop */
}

SEC("xdp")
int loops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct squares s = { 0, 0 };
	__u64 bytes = 0, bits = 0;
	__u8 *p = data;
	__u32 x;
	long n;

	if ((void *)(p + 1) > data_end)
		return 0;
	s.last = p[0];
	n = bpf_loop(100, add_square, &s, 0);

	for (int i = 0; i < 64; i++) {
		__u8 *b = p + i;

		if ((void *)(b + 1) > data_end)
			break;
		bytes += *b;
	}

	x = p[0];
	while (x && bits < 8) {
		x &= x - 1;
		bits++;
	}
	return s.sum + n * 10000 + bytes * 1000000 + bits * 100000000;
}

char LICENSE[] SEC("license") = "GPL";
