// expect: accept
// The lookup-or-insert pattern: a second lookup after the update is checked again.
#include "../include/vt.h"

VT_HASH(by_if, __u32, __u64, 64);

SEC("xdp")
int map_or_init(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;
	__u64 zero = 0, *v = bpf_map_lookup_elem(&by_if, &key);

	if (!v) {
		bpf_map_update_elem(&by_if, &key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&by_if, &key);
		if (!v)
			return XDP_ABORTED;
	}
	__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}
