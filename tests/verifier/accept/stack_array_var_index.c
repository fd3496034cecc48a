// expect: accept
// flags: privileged
// A hex digit table on the stack indexed by nibbles (variable stack offsets: privileged only, as in the kernel).
#include "../include/vt.h"

VT_ARRAY(out, __u64, 1);

SEC("tc")
int stack_hex(struct __sk_buff *skb)
{
	__u64 table[2] = { 0x3736353433323130ull, 0x6665646362613938ull };
	char *digits = (char *)table;
	__u32 key = 0, h = skb->hash;
	__u64 *o = bpf_map_lookup_elem(&out, &key), acc = 0;

	VT_OPAQUE(h);
	VT_OPAQUE(table[0]);
	VT_OPAQUE(table[1]);
#pragma clang loop unroll(disable)
	for (int i = 0; i < 8; i++) {
		acc = acc << 8 | digits[h & 15];
		h >>= 4;
	}
	if (o)
		*o = acc;
	return TC_ACT_OK;
}
