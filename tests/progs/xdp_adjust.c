/*
 * xdp_adjust.c - moving the packet's edges: bpf_xdp_adjust_head (pop and
 * push bytes at the front), bpf_xdp_adjust_tail (trim and grow) and
 * bpf_xdp_adjust_meta (metadata before the packet). The first byte picks
 * the operation; data_out shows the result (from the metadata on, as the
 * kernel's BPF_PROG_TEST_RUN copies it).
 */
//! case pop-4
//! data 01 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 10 20 30 40
//! retval 2
//! data_out 44 55 66 77 88 99 aa bb cc dd ee ff 10 20 30 40
//! kernel
//! case push-4
//! data 02 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! retval 2
//! data_out 4e 59 4b 49 02 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! kernel
//! case trim-2
//! data 03 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! retval 2
//! data_out 03 11 22 33 44 55 66 77 88 99 aa bb cc dd
//! kernel
//! case grow-4
//! data 04 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! retval 2
//! data_out 04 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff ee ee ee ee
//! kernel
//! case metadata
//! data 05 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! retval 3
//! data_out 44 33 22 11 05 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
//! kernel
//! case too-short-to-pop
//! data 01 11 22 33 44 55 66 77 88 99 aa bb cc dd
//! retval 0
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

SEC("xdp")
int adjust(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 op;

	if (data + 1 > data_end)
		return XDP_ABORTED;
	op = *(__u8 *)data;
	switch (op) {
	case 1:
		if (data + 4 + 14 > data_end)   /* keep an Ethernet header's worth */
			return XDP_ABORTED;
		if (bpf_xdp_adjust_head(ctx, 4))
			return XDP_ABORTED;
		return XDP_PASS;
	case 2:
		if (bpf_xdp_adjust_head(ctx, -4))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		if (data + 4 > data_end)
			return XDP_ABORTED;
		__builtin_memcpy(data, "NYKI", 4);
		return XDP_PASS;
	case 3:
		if (bpf_xdp_adjust_tail(ctx, -2))
			return XDP_ABORTED;
		return XDP_PASS;
	case 4: {
		__u32 old = (data_end - data) & 0x3ff;
		__u8 *p;

		if (bpf_xdp_adjust_tail(ctx, 4))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		p = data + old;
		if ((void *)(p + 4) > data_end)
			return XDP_ABORTED;
		__builtin_memset(p, 0xee, 4);
		return old == 16 ? XDP_PASS : XDP_DROP;
	}
	case 5: {
		__u32 *meta;

		if (bpf_xdp_adjust_meta(ctx, -4))
			return XDP_ABORTED;
		meta = (void *)(long)ctx->data_meta;
		data = (void *)(long)ctx->data;
		if ((void *)(meta + 1) > data)
			return XDP_ABORTED;
		*meta = 0x11223344;
		return *meta == 0x11223344 ? XDP_TX : XDP_DROP;
	}
	}
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
