// expect: accept
// A bounded strlen over a 32-byte string in a map value.
#include "../include/vt.h"

struct name { char s[32]; };
VT_ARRAY(names, struct name, 4);

SEC("tc")
int map_strlen(struct __sk_buff *skb)
{
	__u32 key = skb->mark & 3;
	struct name *n = bpf_map_lookup_elem(&names, &key);
	int len = 0;

	if (!n)
		return TC_ACT_OK;
#pragma clang loop unroll(disable)
	while (len < 32 && n->s[len])
		len++;
	return len > 8 ? TC_ACT_SHOT : TC_ACT_OK;
}
