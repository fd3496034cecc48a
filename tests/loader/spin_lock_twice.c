/* Two bpf_spin_locks in one map value (one nested): the kernel allows one, so the loader refuses. */
#include "loader.h"

struct bpf_spin_lock { __u32 val; };
struct inner { int x; struct bpf_spin_lock second; };
struct twice { struct bpf_spin_lock first; struct inner in; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct twice);
} two_locks SEC(".maps");

SEC("xdp") int touch(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&two_locks, &k) != 0;
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// ERROR: error: open:
// ERROR: map 'two_locks': its value holds more than one struct bpf_spin_lock (at offsets 0 and 8); the kernel allows one
