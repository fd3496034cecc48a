/*
 * cgroup_skb.c - a cgroup_skb/ingress program: data starts at the IP
 * header (there is no Ethernet header in a cgroup's view). Denies UDP to
 * port 9 (returns 0), allows the rest (1), counting bytes per verdict.
 */
//! case allowed
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c 30 f7 64 61 74 61
//! retval 1
//! map bytes 01000000 = 2000000000000000
//! kernel bytes
//! case denied
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 00 09 00 0c b5 5c 64 72 6f 70
//! args repeat 2
//! retval 0
//! map bytes 00000000 = 4000000000000000
//! kernel bytes
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} bytes SEC(".maps");

static __always_inline int verdict(struct __sk_buff *skb, __u32 allow)
{
	__u32 key = allow;
	__u64 len = skb->len, *n = bpf_map_lookup_elem(&bytes, &key);

	if (n)
		nyk_atomic_add(n, len);
	else
		bpf_map_update_elem(&bytes, &key, &len, BPF_ANY);
	return allow ? 1 : 0;   /* a constant for the verifier: [0, 1] */
}

SEC("cgroup_skb/ingress")
int ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data;
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > data_end)
		return verdict(skb, 1);
	if (ip->protocol == IPPROTO_UDP && udp->dest == bpf_htons(9))
		return verdict(skb, 0);
	return verdict(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
