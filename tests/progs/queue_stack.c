/*
 * queue_stack.c - queue (FIFO) and stack (LIFO) maps: push, pop and peek,
 * a full queue refusing a push (-E2BIG) and BPF_EXIST making room by
 * dropping the oldest element. The return value puts the popped and
 * peeked values in decimal digits.
 */
//! case fifo-and-lifo
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 1142332
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 3);
	__type(value, __u32);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 3);
	__type(value, __u32);
} lifo SEC(".maps");

SEC("xdp")
int queue_stack(struct xdp_md *ctx)
{
	__u32 v, q1 = 0, q2 = 0, qpeek = 0, s1 = 0, s2 = 0, speek = 0, full = 0;

	for (int i = 1; i <= 3; i++) {
		__u32 value = i;

		bpf_map_push_elem(&fifo, &value, 0);
		bpf_map_push_elem(&lifo, &value, 0);
	}
	v = 4;
	if (bpf_map_push_elem(&fifo, &v, 0) == -7 /* -E2BIG */)
		full = 1;
	bpf_map_push_elem(&fifo, &v, BPF_EXIST);

	bpf_map_pop_elem(&fifo, &q1);
	bpf_map_pop_elem(&fifo, &q2);
	bpf_map_peek_elem(&fifo, &qpeek);
	bpf_map_pop_elem(&lifo, &s1);
	bpf_map_pop_elem(&lifo, &s2);
	bpf_map_peek_elem(&lifo, &speek);
	return q1 + q2 * 10 + s1 * 100 + s2 * 1000 + qpeek * 10000 + speek * 100000 + full * 1000000;
}

char LICENSE[] SEC("license") = "GPL";
