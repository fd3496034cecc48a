/*
 * counters.c - packet and byte counters per IPv4 source in a hash map, a
 * total in a per-CPU array and a count per IP protocol in a per-CPU hash.
 */
//! case three-packets-from-one-host
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 1f 1c 46 40 00 40 11 52 d7
//! data c0 a8 01 07 0a 00 00 02 04 d2 00 35 00 0b 6a bd 61 62 63
//! args repeat 3
//! retval 2
//! map by_source c0a80107 = 0300000000000000 8700000000000000
//! map totals 00000000 = 0300000000000000
//! map by_proto 11 = 0300000000000000
//! kernel by_source totals by_proto
//! case non-ip-counts-total-only
//! data ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01
//! retval 2
//! map totals 00000000 = 0100000000000000
//! kernel by_source totals by_proto
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct traffic {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __be32);
	__type(value, struct traffic);
} by_source SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u8);
	__type(value, __u64);
} by_proto SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct traffic *t, fresh = { 1, 0 };
	__u32 zero = 0;
	__u64 *n, one = 1;
	__be32 src;
	__u8 proto;

	n = bpf_map_lookup_elem(&totals, &zero);
	if (n)
		*n += 1;   /* per-CPU: no other CPU writes this copy */
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	src = ip->saddr;
	t = bpf_map_lookup_elem(&by_source, &src);
	if (t) {
		nyk_atomic_add(&t->packets, 1);
		nyk_atomic_add(&t->bytes, data_end - data);
	} else {
		fresh.bytes = data_end - data;
		bpf_map_update_elem(&by_source, &src, &fresh, BPF_NOEXIST);
	}

	proto = ip->protocol;
	n = bpf_map_lookup_elem(&by_proto, &proto);
	if (n)
		*n += 1;
	else
		bpf_map_update_elem(&by_proto, &proto, &one, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
