// expect: reject (helper 113) argument
// 16 bytes read into an 8-byte map value.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 16);

SEC("kprobe/do_nanosleep")
int helper_into_value(void *regs)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (!v)
		return 0;
	bpf_probe_read_kernel(v, 16, *(void **)regs);
	return 0;
}
