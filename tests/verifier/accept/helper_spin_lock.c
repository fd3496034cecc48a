// expect: accept
// A spin lock in a map value taken and released around an update.
#include "../include/vt.h"

struct val { struct bpf_spin_lock lock; __u64 count; };
VT_ARRAY(locked, struct val, 1);

SEC("tc")
int helper_lock(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&locked, &key);

	if (!v)
		return TC_ACT_OK;
	bpf_spin_lock(&v->lock);
	v->count += skb->len;
	bpf_spin_unlock(&v->lock);
	return TC_ACT_OK;
}
