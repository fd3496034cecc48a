// expect: accept
// A map value indexed by a masked variable times 8: offsets [0,56] of a 64-byte value.
#include "../include/vt.h"

struct ring { __u64 slot[8]; };
VT_ARRAY(rings, struct ring, 1);

SEC("tc")
int map_var(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct ring *r = bpf_map_lookup_elem(&rings, &key);

	if (!r)
		return TC_ACT_OK;
	r->slot[skb->queue_mapping & 7] = skb->tstamp;
	return TC_ACT_OK;
}
