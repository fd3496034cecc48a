// expect: accept
// Atomic fetch-add, exchange and compare-exchange on a map value (cpu v3 atomics).
#include "../include/vt.h"

struct val { __u64 count, last, owner; };
VT_HASH(m, __u32, struct val, 16);

SEC("tc")
int map_atomic(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	struct val *v = bpf_map_lookup_elem(&m, &key);
	__u64 old;

	if (!v)
		return TC_ACT_OK;
	old = __sync_fetch_and_add(&v->count, 1);
	__sync_lock_test_and_set(&v->last, old);
	__sync_val_compare_and_swap(&v->owner, 0, skb->hash);
	return TC_ACT_OK;
}
