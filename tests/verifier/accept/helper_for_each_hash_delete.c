// expect: accept
// for_each over a hash map: the callback reads the key and value and may delete the element.
#include "../include/vt.h"

VT_HASH(ages, __u32, __u64, 256);

struct cb_ctx { __u64 now; __u32 expired; };

static long expire(void *map, __u32 *key, __u64 *ts, struct cb_ctx *c)
{
	if (c->now - *ts > 1000000000ull) {
		bpf_map_delete_elem(map, key);
		c->expired = 1;
	}
	return 0;
}

SEC("tc")
int helper_expire(struct __sk_buff *skb)
{
	struct cb_ctx c = { .now = bpf_ktime_get_ns() };

	bpf_for_each_map_elem(&ages, expire, &c, 0);
	return c.expired ? TC_ACT_SHOT : TC_ACT_OK;
}
