/*
 * lpm_route.c - a routing table in an LPM trie: the longest prefix that
 * holds the IPv4 destination gives the next hop, returned by the program.
 * The table is filled by the program itself on its first run (a real
 * router would fill it from user space); the default route is 9.
 */
//! case host-route-24
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 1c 1c 46 40 00 40 11 ff 75
//! data 0a 09 09 09 0a 01 02 03 04 d2 00 35 00 08 db c1
//! retval 3
//! map routes 18000000 0a010200 = 03000000
//! map routes 00000000 00000000 = 09000000
//! kernel routes
//! case prefix-16
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 1c 1c 46 40 00 40 11 f8 6f
//! data 0a 09 09 09 0a 01 09 09 04 d2 00 35 00 08 d4 bb
//! retval 2
//! kernel routes
//! case prefix-8
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 1c 1c 46 40 00 40 11 00 b1
//! data 0a 09 09 09 0a c8 00 01 04 d2 00 35 00 08 dc fc
//! retval 1
//! kernel
//! case default-route
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 1c 1c 46 40 00 40 11 4a d0
//! data 0a 09 09 09 c0 a8 00 01 04 d2 00 35 00 08 27 1c
//! retval 9
//! kernel
//! case not-ipv4
//! data ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01
//! retval 0
//! kernel routes
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct route_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct route_key);
	__type(value, __u32);
} routes SEC(".maps");

static void add_route(__u32 addr, __u32 len, __u32 hop)
{
	struct route_key key = { .prefixlen = len };
	__be32 be = bpf_htonl(addr);

	__builtin_memcpy(key.addr, &be, 4);
	bpf_map_update_elem(&routes, &key, &hop, BPF_NOEXIST);
}

SEC("xdp")
int route(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct route_key key = { .prefixlen = 32 };
	__u32 *hop;

	add_route(0x00000000, 0, 9);
	add_route(0x0a000000, 8, 1);    /* 10.0.0.0/8 */
	add_route(0x0a010000, 16, 2);   /* 10.1.0.0/16 */
	add_route(0x0a010200, 24, 3);   /* 10.1.2.0/24 */
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	__builtin_memcpy(key.addr, &ip->daddr, 4);
	hop = bpf_map_lookup_elem(&routes, &key);
	return hop ? *hop : 0;
}

char LICENSE[] SEC("license") = "GPL";
