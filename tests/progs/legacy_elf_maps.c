/*
 * legacy_elf_maps.c - iproute2's map definitions (struct bpf_elf_map, 28
 * bytes: id and pinning after the flags) in the "maps" section, and a tc
 * program in iproute2's "classifier" section. Not loadable by libbpf 1.x,
 * so there is no kernel comparison.
 */
//! case classifier-with-elf-maps
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00 00 20 1c 46 40 00 40 11 0a 85
//! data 0a 00 00 01 0a 00 00 02 04 d2 13 88 00 0c fa b6 64 61 74 61
//! args repeat 2
//! retval 0
//! map acc 00000000 = 5c00000000000000
//! map acc 01000000 = 0200000000000000
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
};

struct bpf_elf_map SEC("maps") acc = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 2,
	.pinning = 0,
};

SEC("classifier")
int cls(struct __sk_buff *skb)
{
	__u32 bytes = 0, packets = 1;
	__u64 *b = bpf_map_lookup_elem(&acc, &bytes), *p = bpf_map_lookup_elem(&acc, &packets);

	if (b)
		*b += skb->len;
	if (p)
		*p += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
