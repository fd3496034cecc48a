/*
 * iproute2's struct bpf_elf_map (36 bytes: + id, pinning, inner_id,
 * inner_idx) and its tail calls: a program in section "ID/IDX" goes into
 * slot IDX of the prog_array with that id; the map whose id is an outer
 * map's inner_id is its inner map, in slot inner_idx.
 */
#include "loader.h"

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx;
};

#define PIN_GLOBAL_NS 2

struct bpf_elf_map SEC("maps") jmp_table = {
	.type = BPF_MAP_TYPE_PROG_ARRAY, .size_key = 4, .size_value = 4, .max_elem = 8, .id = 1,
};
struct bpf_elf_map SEC("maps") inner = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4, .max_elem = 1, .id = 2, .inner_idx = 3,
	.pinning = PIN_GLOBAL_NS,
};
struct bpf_elf_map SEC("maps") outer = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .size_key = 4, .size_value = 4, .max_elem = 4, .inner_id = 2,
};

SEC("1/0") int tail_zero(void *skb) { return 10; }
SEC("1/5") int tail_five(void *skb) { return 15; }

SEC("classifier") int cls_main(void *skb)
{
	bpf_tail_call(skb, &jmp_table, 5);
	return bpf_map_lookup_elem(&outer, &(__u32){ 3 }) != 0;
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// NOBTF: yes
// ARGS: --default-type sched_cls
// CHECK: jmp_table section=maps type=3 key=4 value=4 max=8 flags=0x0 pinning=0
// CHECK: inner section=maps type=2 key=4 value=4 max=1 flags=0x0 pinning=2
// CHECK: outer section=maps type=12 key=4 value=4 max=4 flags=0x0 pinning=0 inner=inner:type=2:key=4:value=4:max=1
// CHECK: program tail_zero section=1/0 type=sched_cls
// CHECK: program cls_main section=classifier type=sched_cls
// CHECK: slot jmp_table[0]: prog tail_zero
// CHECK: slot jmp_table[5]: prog tail_five
// CHECK: slot outer[3]: map inner
