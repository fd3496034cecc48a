// expect: reject may be NULL
// The null check tests the first lookup's result, the access uses the second's.
#include "../include/vt.h"

VT_HASH(a, __u32, __u64, 4);
VT_HASH(b, __u32, __u64, 4);

SEC("xdp")
int map_other(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *x = bpf_map_lookup_elem(&a, &key);
	__u64 *y = bpf_map_lookup_elem(&b, &key);

	if (!x)
		return XDP_PASS;
	*x = 1;
	return *y ? XDP_DROP : XDP_PASS;
}
