// expect: accept
// Fields of different sizes inside a map value, read and written.
#include "../include/vt.h"

struct cfg { __u8 enabled; __u8 pad; __u16 port; __u32 addr; __u64 hits; };
VT_ARRAY(config, struct cfg, 1);

SEC("xdp")
int map_fields(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct cfg *c = bpf_map_lookup_elem(&config, &key);

	if (!c || !c->enabled)
		return XDP_PASS;
	c->hits++;
	return c->port == 22 && c->addr ? XDP_DROP : XDP_PASS;
}
