// expect: accept
// A raw tracepoint reads its u64 arguments from the context.
#include "../include/vt.h"

VT_ARRAY(ids, __u64, 1);

SEC("raw_tracepoint/sys_enter")
int raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&ids, &key);

	if (v)
		*v = ctx->args[1];
	return 0;
}
