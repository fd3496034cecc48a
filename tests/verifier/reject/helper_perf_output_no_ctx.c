// expect: reject bpf_perf_event_output (helper 25) argument 1
// perf_event_output wants the context as its first argument, not a stack pointer.
#include "../include/vt.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf SEC(".maps");

SEC("xdp")
int helper_perf_bad(struct xdp_md *ctx)
{
	__u64 rec = ctx->ingress_ifindex;

	bpf_perf_event_output(&rec, &perf, BPF_F_CURRENT_CPU, &rec, sizeof(rec));
	return XDP_PASS;
}
