/*
 * tailcall.c - a dispatcher that tail-calls through a prog_array filled
 * from the object (libbpf's `.values` initialisation): the first packet
 * byte picks the slot. Slot 2 chains to slot 0; an empty slot falls
 * through. `loop` tail-calls itself until the kernel's limit of 33 tail
 * calls stops it, so it runs 34 times.
 */
//! case slot-0
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog dispatch
//! retval 10
//! map hits 00000000 = 0100000000000000
//! kernel hits
//! case slot-2-chains-to-0
//! data 02 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog dispatch
//! retval 10
//! map hits 00000000 = 0100000000000000
//! map hits 02000000 = 0100000000000000
//! kernel hits
//! case empty-slot-falls-through
//! data 01 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog dispatch
//! retval 99
//! kernel hits
//! case out-of-range-slot
//! data 07 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog dispatch
//! retval 99
//! kernel hits
//! case limit-of-33
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog loop
//! retval 34
//! map hits 03000000 = 2200000000000000
//! kernel hits
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

int slot0(struct xdp_md *ctx);
int slot2(struct xdp_md *ctx);
int loop(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&slot0,
		[2] = (void *)&slot2,
		[3] = (void *)&loop,
	},
};

static __u64 hit(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&hits, &slot);

	if (!n)
		return 0;
	*n += 1;
	return *n;
}

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *first = data;

	if ((void *)(first + 1) > data_end)
		return XDP_ABORTED;
	bpf_tail_call(ctx, &jump_table, *first);
	return 99;
}

SEC("xdp")
int slot0(struct xdp_md *ctx)
{
	hit(0);
	return 10;
}

SEC("xdp")
int slot2(struct xdp_md *ctx)
{
	hit(2);
	bpf_tail_call(ctx, &jump_table, 0);
	return 20;
}

SEC("xdp")
int loop(struct xdp_md *ctx)
{
	__u64 n = hit(3);

	bpf_tail_call(ctx, &jump_table, 3);
	return n;
}

char LICENSE[] SEC("license") = "GPL";
