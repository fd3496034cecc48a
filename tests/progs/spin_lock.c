/*
 * spin_lock.c - bpf_spin_lock/unlock around updates of a map value that
 * holds a struct bpf_spin_lock (the value needs BTF: the lock's place is
 * found from it), in an array and in a hash map.
 */
//! case locked-updates
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c fa b6 64 61 74 61
//! args repeat 4
//! retval 4
//! map totals 00000000 = 00000000 04000000 b800000000000000
//! map per_len 2e000000 = 00000000 04000000 b800000000000000
//! kernel totals per_len
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct guarded {
	struct bpf_spin_lock lock;
	__u32 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct guarded);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct guarded);
} per_len SEC(".maps");

SEC("tc")
int locked(struct __sk_buff *skb)
{
	struct guarded *g, fresh = {};
	__u32 zero = 0, len = skb->len, packets;

	g = bpf_map_lookup_elem(&totals, &zero);
	if (!g)
		return 0;
	bpf_spin_lock(&g->lock);
	g->packets++;
	g->bytes += len;
	packets = g->packets;
	bpf_spin_unlock(&g->lock);

	g = bpf_map_lookup_elem(&per_len, &len);
	if (!g) {
		bpf_map_update_elem(&per_len, &len, &fresh, BPF_NOEXIST);
		g = bpf_map_lookup_elem(&per_len, &len);
		if (!g)
			return 0;
	}
	bpf_spin_lock(&g->lock);
	g->packets++;
	g->bytes += len;
	bpf_spin_unlock(&g->lock);
	return packets;
}

char LICENSE[] SEC("license") = "GPL";
