/*
 * legacy_maps.c - maps defined the old way: struct bpf_map_def (20 bytes)
 * in a section named "maps", as samples and old programs have them. The
 * loader takes each definition's size from its symbol. libbpf 1.0 dropped
 * these, so there is no kernel comparison.
 */
//! case legacy-hash-and-array
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00
//! args repeat 3
//! retval 3
//! map legacy_counts 00000000 = 0300000000000000
//! map legacy_seen 0e000000 = 0300000000000000
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 2,
};

struct bpf_map_def SEC("maps") legacy_seen = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 8,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("xdp")
int legacy(struct xdp_md *ctx)
{
	__u32 zero = 0, len = ctx->data_end - ctx->data;
	__u64 *n = bpf_map_lookup_elem(&legacy_counts, &zero), one = 1;

	if (!n)
		return -1;
	*n += 1;
	if (bpf_map_update_elem(&legacy_seen, &len, &one, BPF_NOEXIST) < 0) {
		__u64 *s = bpf_map_lookup_elem(&legacy_seen, &len);

		if (s)
			*s += 1;
	}
	return *n;
}

char LICENSE[] SEC("license") = "GPL";
