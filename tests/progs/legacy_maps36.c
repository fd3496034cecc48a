/*
 * legacy_maps36.c - 36-byte legacy map definitions (iproute2's bpf_elf_map
 * with inner_id and inner_idx) in the "maps" section: each entry's size
 * comes from its symbol, whatever the struct. No kernel comparison.
 */
//! case thirty-six-byte-definitions
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! retval 42
//! map answers 01000000 = 2a000000
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct map_def36 {
	__u32 type, key_size, value_size, max_entries, flags;
	__u32 id, pinning, inner_id, inner_idx;
};

struct map_def36 SEC("maps") scratch = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4,
};
struct map_def36 SEC("maps") answers = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4, .max_entries = 4,
};

SEC("xdp")
int thirty_six(struct xdp_md *ctx)
{
	__u32 key = 1, value = 42, *v;

	bpf_map_update_elem(&scratch, &key, &value, BPF_ANY);
	v = bpf_map_lookup_elem(&scratch, &key);
	if (!v)
		return -1;
	bpf_map_update_elem(&answers, &key, v, BPF_ANY);
	v = bpf_map_lookup_elem(&answers, &key);
	return v ? *v : -2;
}

char LICENSE[] SEC("license") = "GPL";
