// expect: reject spin lock still held at exit
// The early return skips the unlock.
#include "../include/vt.h"

struct val { struct bpf_spin_lock lock; __u64 count; };
VT_ARRAY(locked, struct val, 1);

SEC("tc")
int helper_lock_held(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&locked, &key);

	if (!v)
		return TC_ACT_OK;
	bpf_spin_lock(&v->lock);
	if (v->count > 1000)
		return TC_ACT_SHOT;
	v->count++;
	bpf_spin_unlock(&v->lock);
	return TC_ACT_OK;
}
