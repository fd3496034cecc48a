/*
 * tailcall_subprog.c - bpf_tail_call from a subprogram: as in the kernel
 * (x86-64 JIT, since 5.10), the target replaces only the subprogram's
 * frame. Its return value becomes the subprogram's, and the caller goes
 * on: `caller` returns sub_tail() * 10 + 2 and counts `after`. Through
 * an empty slot the tail call fails and the subprogram returns slot + 1.
 * Slot 2 holds `hop`, which tail-calls `target` from its entry function:
 * the value at the end of the chain still returns to the subprogram.
 * Slot 3 holds `mid`, which itself calls sub_tail (slot 0): the nested
 * tail call replaces only that inner frame, mid goes on (after += 10,
 * returns 5 * 3 + 1), and its result returns to the outer sub_tail.
 * Expected values checked against the kernel (the `kernel` lines).
 */
//! case target-returns-to-the-caller
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog caller
//! retval 52
//! var after = 01000000
//! kernel .bss
//! case empty-slot-falls-through
//! data 01 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog caller
//! retval 22
//! var after = 01000000
//! kernel .bss
//! case chain-through-an-entry-tail-call
//! data 02 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog caller
//! retval 52
//! var after = 01000000
//! kernel .bss
//! case nested-tail-call-in-the-target
//! data 03 00 00 00 00 00 00 00 00 00 00 00 00 00
//! prog caller
//! retval 162
//! var after = 0b000000
//! kernel .bss
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int target(struct xdp_md *ctx);
int hop(struct xdp_md *ctx);
int mid(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} table SEC(".maps") = {
	.values = {
		[0] = (void *)&target,
		[2] = (void *)&hop,
		[3] = (void *)&mid,
	},
};

int after;

SEC("xdp")
int target(struct xdp_md *ctx)
{
	return 5;
}

SEC("xdp")
int hop(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &table, 0);
	return 7;
}

/* Global, so that clang cannot fold its return value into the caller. */
__attribute__((noinline)) int sub_tail(struct xdp_md *ctx, __u32 slot)
{
	bpf_tail_call(ctx, &table, slot);
	return slot + 1;
}

SEC("xdp")
int mid(struct xdp_md *ctx)
{
	int r = sub_tail(ctx, 0);

	after += 10;
	return r * 3 + 1;
}

SEC("xdp")
int caller(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *first = data;
	int r;

	if ((void *)(first + 1) > data_end)
		return 0;
	r = sub_tail(ctx, *first);
	after++;
	return r * 10 + 2;
}

char LICENSE[] SEC("license") = "GPL";
