// expect: reject may be NULL
// The lookup's result is used without a null check.
#include "../include/vt.h"

VT_HASH(counts, __u32, __u64, 4);

SEC("xdp")
int map_no_null(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *c = bpf_map_lookup_elem(&counts, &key);

	*c += 1;
	return XDP_PASS;
}
