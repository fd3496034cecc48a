/*
 * map_in_map.c - an array of maps and a hash of maps whose slots are
 * filled from the object (`.values`). The first packet byte picks an
 * inner map of `outer`, whose element 1 grows by 5; the inner map under
 * key 3 of `by_id` (inner_b) is then read back.
 */
//! case through-array-slot-1
//! data 01 00 00 00 00 00 00 00 00 00 00 00 00 00
//! args repeat 2
//! retval 1010
//! map inner_b 01000000 = 0a000000
//! map inner_a 01000000 = 00000000
//! kernel inner_a inner_b
//! case through-array-slot-0
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 5
//! map inner_a 01000000 = 05000000
//! kernel inner_a inner_b
//! case empty-slot
//! data 05 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 4294967295
//! kernel inner_a inner_b
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { &inner_a, &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} by_id SEC(".maps") = {
	.values = { [3] = &inner_b },
};

SEC("xdp")
int map_in_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 slot, one = 1, three = 3, *v, *w;
	void *inner;

	if (data + 1 > data_end)
		return -1;
	slot = *(__u8 *)data;
	inner = bpf_map_lookup_elem(&outer, &slot);
	if (!inner)
		return -1;
	v = bpf_map_lookup_elem(inner, &one);
	if (!v)
		return -2;
	*v += 5;
	inner = bpf_map_lookup_elem(&by_id, &three);
	if (!inner)
		return -3;
	w = bpf_map_lookup_elem(inner, &one);
	if (!w)
		return -4;
	return *w * 100 + *v;
}

char LICENSE[] SEC("license") = "GPL";
