/*
 * for_each.c - bpf_for_each_map_elem over an array (the callback stops the
 * walk at key 5) and over a hash (the callback changes values in place).
 * Returns array sum * 1000 + visited * 100 + hash sum.
 */
//! case walk-array-and-hash
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 55612
//! map table 1e000000 = 06000000
//! kernel squares table
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} squares SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} table SEC(".maps");

struct walk {
	__u32 sum;
	__u32 visited;
};

static long sum_until_5(void *map, __u32 *key, __u32 *value, struct walk *w)
{
	w->sum += *value;
	w->visited++;
	return *key == 5;   /* 1 stops the walk */
}

static long double_and_sum(void *map, __u32 *key, __u32 *value, struct walk *w)
{
	*value *= 2;
	w->sum += *value;
	return 0;
}

SEC("xdp")
int walk(struct xdp_md *ctx)
{
	struct walk a = {}, h = {};

	for (int i = 0; i < 8; i++) {
		__u32 key = i, value = i * i;

		bpf_map_update_elem(&squares, &key, &value, BPF_ANY);
	}
	for (int i = 1; i <= 3; i++) {
		__u32 key = i * 10, value = i;

		bpf_map_update_elem(&table, &key, &value, BPF_ANY);
	}
	bpf_for_each_map_elem(&squares, sum_until_5, &a, 0);
	bpf_for_each_map_elem(&table, double_and_sum, &h, 0);
	return a.sum * 1000 + a.visited * 100 + h.sum;
}

char LICENSE[] SEC("license") = "GPL";
