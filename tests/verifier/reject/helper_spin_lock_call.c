// expect: reject while holding a spin lock
// A helper call inside the critical section.
#include "../include/vt.h"

struct val { struct bpf_spin_lock lock; __u64 ts; };
VT_ARRAY(locked, struct val, 1);

SEC("tc")
int helper_lock_call(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&locked, &key);

	if (!v)
		return TC_ACT_OK;
	bpf_spin_lock(&v->lock);
	v->ts = bpf_ktime_get_ns();
	bpf_spin_unlock(&v->lock);
	return TC_ACT_OK;
}
