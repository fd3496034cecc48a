// expect: reject may be NULL
// kernel: skip since 6.14 the kernel knows an array lookup with a constant in-range key is never NULL; nyuki's domain does not
// An array lookup with key 0 used without a null check.
#include "../include/vt.h"

VT_ARRAY(counts, __u64, 4);

SEC("xdp")
int map_array_no_null(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *c = bpf_map_lookup_elem(&counts, &key);

	*c += 1;
	return XDP_PASS;
}
