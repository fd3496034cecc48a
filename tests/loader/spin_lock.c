/*
 * A struct bpf_spin_lock in BTF-defined map values: the loader sets
 * has_spin_lock and spin_lock_off as the kernel finds the lock (top level
 * or in nested structs; not behind a const or typedef, not in arrays), only
 * for hash and array maps (elsewhere the kernel refuses it and libbpf
 * creates the map without BTF), for inner maps too. After load, BPF_F_LOCK
 * updates and lookups work on those maps and skip the lock word.
 */
#include "loader.h"

struct bpf_spin_lock { __u32 val; };

struct guarded { int a; struct bpf_spin_lock l; int b; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct guarded);
} locked_hash SEC(".maps");

/* Nested one level down (kernels since 6.10 look into struct members). */
struct nested { __u64 x; struct { int q; struct bpf_spin_lock l; } in; };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct nested);
} locked_array SEC(".maps");

/* Per-CPU arrays cannot hold a lock: plain bytes. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct guarded);
} percpu_plain SEC(".maps");

/* A const lock, a typedef'd struct member and an array of locks are no lock to the kernel. */
typedef struct guarded guarded_t;
struct not_locks { int a; const struct bpf_spin_lock c; guarded_t t; struct bpf_spin_lock arr[2]; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, struct not_locks);
} hash_plain SEC(".maps");

/* A value given by size has no type, so no lock. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 6);
	__uint(key_size, 4);
	__uint(value_size, 12);
} sized_plain SEC(".maps");

struct inner_locked {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct guarded);
} inner_one SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_locked);
} outer SEC(".maps") = {
	.values = { [0] = &inner_one },
};

SEC("xdp") int touch(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct guarded *g = bpf_map_lookup_elem(&locked_hash, &k);
	struct nested *n = bpf_map_lookup_elem(&locked_array, &k);

	return (g ? g->a : 0) + (n ? n->in.q : 0) + (bpf_map_lookup_elem(&percpu_plain, &k) != 0) +
	       (bpf_map_lookup_elem(&hash_plain, &k) != 0) + (bpf_map_lookup_elem(&sized_plain, &k) != 0) +
	       (bpf_map_lookup_elem(&outer, &k) != 0);
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// CHECK: locked_hash section=.maps type=1 key=4 value=12 max=8 flags=0x0 pinning=0 spin_lock=4
// CHECK: locked_array section=.maps type=2 key=4 value=16 max=2 flags=0x0 pinning=0 spin_lock=12
// CHECK: percpu_plain section=.maps type=6 key=4 value=12 max=3 flags=0x0 pinning=0
// CHECK-NOT: max=3 flags=0x0 pinning=0 spin_lock
// CHECK: hash_plain section=.maps type=1 key=4 value=28 max=5 flags=0x0 pinning=0
// CHECK-NOT: max=5 flags=0x0 pinning=0 spin_lock
// CHECK: sized_plain section=.maps type=2 key=4 value=12 max=6 flags=0x0 pinning=0
// CHECK-NOT: max=6 flags=0x0 pinning=0 spin_lock
// CHECK: inner_one section=.maps type=2 key=4 value=12 max=1 flags=0x0 pinning=0 spin_lock=4
// CHECK: outer section=.maps type=12 key=4 value=4 max=2 flags=0x0 pinning=0 inner=outer.inner:type=2:key=4:value=12:max=1:spin_lock=4
// CHECK: slot outer[0]: map inner_one
// RUN-ARGS: --lock locked_hash --lock locked_array --lock percpu_plain --lock hash_plain --lock inner_one
// RUN-CHECK: lock locked_hash update=0 lookup=0 value=a0a1a2a300000000a8a9aaab
// RUN-CHECK: lock locked_array update=0 lookup=0 value=a0a1a2a3a4a5a6a7a8a9aaab00000000
// RUN-CHECK: lock percpu_plain update=-22 lookup=-22 value=
// RUN-CHECK: lock hash_plain update=-22 lookup=-22 value=
// RUN-CHECK: lock inner_one update=0 lookup=0 value=a0a1a2a300000000a8a9aaab
