/*
 * A legacy map with BTF for its key and value (BPF_ANNOTATE_KV_PAIR, as
 * iproute2 and libbpf before 1.0 spell it: struct ____btf_map_<name>): its
 * value's bpf_spin_lock is found as in a BTF-defined map.
 */
#include "loader.h"

struct bpf_spin_lock { __u32 val; };
struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };

#define BPF_ANNOTATE_KV_PAIR(name, type_key, type_val)		\
	struct ____btf_map_##name {				\
		type_key key;					\
		type_val value;					\
	};							\
	struct ____btf_map_##name __attribute__((section(".maps." #name), used)) ____btf_map_##name = {}

struct stats { __u64 bytes; struct bpf_spin_lock lock; __u32 packets; };

struct bpf_map_def SEC("maps") legacy_locked = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = sizeof(struct stats), .max_entries = 4,
};
BPF_ANNOTATE_KV_PAIR(legacy_locked, __u32, struct stats);

/* Without the annotation the loader cannot know. */
struct bpf_map_def SEC("maps") legacy_plain = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = sizeof(struct stats), .max_entries = 7,
};

SEC("socket") int count(void *skb)
{
	__u32 key = 1;
	struct stats *s = bpf_map_lookup_elem(&legacy_locked, &key);

	return (s ? s->packets : 0) + (bpf_map_lookup_elem(&legacy_plain, &key) != 0);
}

char LICENSE[] SEC("license") = "GPL";

// CHECK: legacy_locked section=maps type=1 key=4 value=16 max=4 flags=0x0 pinning=0 spin_lock=8
// CHECK: legacy_plain section=maps type=2 key=4 value=16 max=7 flags=0x0 pinning=0
// CHECK-NOT: max=7 flags=0x0 pinning=0 spin_lock
// RUN-ARGS: --lock legacy_locked
// RUN-CHECK: lock legacy_locked update=0 lookup=0 value=a0a1a2a3a4a5a6a700000000acadaeaf
