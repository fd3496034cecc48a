// expect: accept
// A 256-byte record zeroed on the stack and sent with bpf_perf_event_output.
#include "../include/vt.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf SEC(".maps");

struct rec { __u64 words[32]; };

SEC("tc")
int stack_big(struct __sk_buff *skb)
{
	struct rec r;

	__builtin_memset(&r, 0, sizeof(r));
	r.words[0] = skb->len;
	r.words[31] = skb->hash;
	bpf_perf_event_output(skb, &perf, BPF_F_CURRENT_CPU, &r, sizeof(r));
	return TC_ACT_OK;
}
