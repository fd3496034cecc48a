/*
 * perf_events.c - bpf_perf_event_output into a perf event array, read in
 * user space (nyuki has no perf ring to open: records go straight to the
 * reader). In the kernel the output fails with -ENOENT when no perf event
 * is open on the CPU, so there is no kernel comparison.
 */
//! case two-samples
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 aa bb
//! retval 0
//! event samples 10000000 02000000 0200000000020200
//! event samples 2a00000000000000
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

struct sample {
	__u32 len;
	__u32 kind;
	__u8 head[8];
};

SEC("xdp")
int sample(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct sample s = { .len = data_end - data, .kind = 2 };
	__u64 answer = 42;
	long err;

	if (data + 8 > data_end)
		return -1;
	__builtin_memcpy(s.head, data, 8);
	err = bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	err |= bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &answer, sizeof(answer));
	return err;
}

char LICENSE[] SEC("license") = "GPL";
