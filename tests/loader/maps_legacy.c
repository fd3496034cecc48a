/* The legacy `maps` section with libbpf's old 20-byte struct bpf_map_def. */
#include "loader.h"

struct bpf_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct bpf_map_def SEC("maps") packets = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4,
};
struct bpf_map_def SEC("maps") flows = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 1024,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("socket") int count(void *skb)
{
	__u32 key = 1;
	__u64 flow = 1, *v = bpf_map_lookup_elem(&packets, &key);

	if (!v)
		return 0;
	*v += 5;
	return *v + (bpf_map_lookup_elem(&flows, &flow) != 0);
}

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x050a00;

// GCC: yes
// NOBTF: yes
// CHECK: object license=GPL kversion=330240
// CHECK: program count section=socket type=socket_filter
// CHECK: packets section=maps type=2 key=4 value=8 max=4 flags=0x0
// CHECK: flows section=maps type=1 key=8 value=16 max=1024 flags=0x1
// CHECK: reloc count insn
// CHECK: map packets
// CHECK: map flows
// RUN-ARGS: --run count
// RUN-CHECK: run count retval=5
