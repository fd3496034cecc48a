// expect: accept
// Exactly the value's 8 bytes read into a map value.
#include "../include/vt.h"

VT_HASH(m, __u32, __u64, 16);

SEC("kprobe/do_nanosleep")
int helper_into_value_ok(void *regs)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&m, &key);

	if (!v)
		return 0;
	bpf_probe_read_kernel(v, 8, *(void **)regs);
	return 0;
}
