/*
 * lru.c - an LRU hash evicts the least recently used entries when full.
 * Keys 1..8 go into a map of 4; key 2 is looked up again after each
 * insertion, which keeps it recently used. The return value has bit k set
 * when key k is still in the map.
 */
//! case eviction-keeps-recent-and-touched
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 0x1c4
//! map cache 02000000 = 0200000000000000
//! map cache 08000000 = 0800000000000000
//! nomap cache 01000000
//! kernel cache
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} cache SEC(".maps");

SEC("xdp")
int lru_fill(struct xdp_md *ctx)
{
	__u32 present = 0;

	for (int i = 1; i <= 8; i++) {
		__u32 key = i, two = 2;
		__u64 value = i;

		bpf_map_update_elem(&cache, &key, &value, BPF_ANY);
		bpf_map_lookup_elem(&cache, &two);
	}
	for (int i = 1; i <= 8; i++) {
		__u32 key = i;

		if (bpf_map_lookup_elem(&cache, &key))
			present |= 1u << i;
	}
	return present;
}

char LICENSE[] SEC("license") = "GPL";
