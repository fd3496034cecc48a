// expect: accept
// flags: privileged
// clang computes data_end - data with 32-bit ops on the pointers (w3 -= w2): only privileged loaders may (the kernel as root does)
// bpf_perf_event_output with the context, a perf event array and a stack record.
#include "../include/vt.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf SEC(".maps");

SEC("xdp")
int helper_perf(struct xdp_md *ctx)
{
	struct { __u32 ifindex, len; } rec;

	rec.ifindex = ctx->ingress_ifindex;
	rec.len = ctx->data_end - ctx->data;
	bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &rec, sizeof(rec));
	return XDP_PASS;
}
