/*
 * socket_filter.c - a socket filter over __sk_buff: keeps DNS queries (UDP
 * to port 53) whole, truncates other UDP to its headers, drops the rest.
 * As in the kernel, a socket filter's data starts at the network header:
 * the legacy packet loads (LD_ABS, clang's llvm.bpf.load.*) and
 * bpf_skb_load_bytes take offsets from there. The return value is the
 * number of bytes to keep.
 */
//! gcc skip gcc-bpf has no llvm.bpf.load.* intrinsics (LD_ABS)
//! case dns-kept-whole
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84
//! data 0a 00 00 01 0a 00 00 02 04 d2 00 35 00 0d 96 e2 71 75 65 72 79
//! retval 33
//! map seen 00000000 = 0800 1100 0035 0000 21000000
//! kernel seen
//! case other-udp-truncated
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84
//! data 0a 00 00 01 0a 00 00 02 04 d2 00 50 00 0d 96 c7 71 75 65 72 79
//! retval 28
//! kernel seen
//! case tcp-dropped
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 21 1c 46 40 00 40 06 0a 8f
//! data 0a 00 00 01 0a 00 00 02 04 d2 00 35 00 0d 96 ed 71 75 65 72 79
//! retval 0
//! kernel seen
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

struct seen {
	__be16 protocol;   /* skb->protocol, as on the wire */
	__u16 ip_proto;
	__be16 dport;
	__u16 pad;
	__u32 len;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct seen);
} seen SEC(".maps");

SEC("socket")
int keep_dns(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct seen *s = bpf_map_lookup_elem(&seen, &zero);
	__u16 dport;
	__u8 proto;

	if (!s || skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	proto = load_byte(skb, 9);
	s->protocol = skb->protocol;
	s->ip_proto = proto;
	s->len = skb->len;
	if (proto != IPPROTO_UDP)
		return 0;
	if (bpf_skb_load_bytes(skb, 22, &dport, sizeof(dport)) < 0)
		return 0;
	s->dport = dport;
	if (load_half(skb, 22) == 53)
		return skb->len;
	return 20 + 8;
}

char LICENSE[] SEC("license") = "GPL";
