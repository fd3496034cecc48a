// expect: reject of uninitialised bytes
// kernel: skip privileged loaders may read uninitialised stack (allow_uninit_stack): the kernel accepts it as root
// The key's 8 bytes on the stack are only half written.
#include "../include/vt.h"

VT_HASH(m, __u64, __u64, 16);

SEC("xdp")
int map_key_half(struct xdp_md *ctx)
{
	__u32 key[2];
	__u64 *v;

	key[0] = ctx->ingress_ifindex;
	VT_OPAQUE(key[0]);
	v = bpf_map_lookup_elem(&m, key);
	return v ? XDP_DROP : XDP_PASS;
}
