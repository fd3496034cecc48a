/* BTF-defined maps: every attribute, map-in-map with initial inner maps, a prog_array with programs. */
#include "loader.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counts SEC(".maps");

struct pair { __u32 a; __u16 b; };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(numa_node, 0);
} sizes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, struct pair);
	__type(value, struct pair);
} lru SEC(".maps");

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [1] = &inner_a, [3] = &inner_b },
};

int tail_a(struct xdp_md *ctx);
int tail_b(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} jumps SEC(".maps") = {
	.values = { [0] = (void *)&tail_a, [2] = (void *)&tail_b },
};

SEC("xdp") int tail_a(struct xdp_md *ctx) { return 1; }
SEC("xdp") int tail_b(struct xdp_md *ctx) { return 2; }

SEC("xdp") int entry(struct xdp_md *ctx)
{
	__u32 k = 3;
	__u64 one = 1, *v = bpf_map_lookup_elem(&counts, &k);

	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&counts, &k, &one, 0);
	v = bpf_map_lookup_elem(&counts, &k);
	bpf_tail_call(ctx, &jumps, 0);
	return v ? *v + 40 : 0;
}

char LICENSE[] SEC("license") = "GPL";

// CHECK: counts section=.maps type=1 key=4 value=8 max=16 flags=0x1 pinning=1
// CHECK: sizes section=.maps type=6 key=4 value=24 max=4 flags=0x0
// CHECK: lru section=.maps type=9 key=8 value=8 max=8
// CHECK: inner_a section=.maps type=2 key=4 value=8 max=2
// CHECK: inner_b section=.maps type=2 key=4 value=8 max=2
// CHECK: outer section=.maps type=12 key=4 value=4 max=4 flags=0x0 pinning=0 inner=outer.inner:type=2:key=4:value=8:max=2
// CHECK: jumps section=.maps type=3 key=4 value=4 max=4
// CHECK: reloc entry insn
// CHECK: map counts
// CHECK: map jumps
// CHECK: slot outer[1]: map inner_a
// CHECK: slot outer[3]: map inner_b
// CHECK: slot jumps[0]: prog tail_a
// CHECK: slot jumps[2]: prog tail_b
// CHECK-NOT: slot outer[0]
// CHECK-NOT: slot jumps[1]
// RUN-ARGS: --run entry
// RUN-CHECK: run entry retval=41
