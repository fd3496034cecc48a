// expect: accept
// The length bpf_probe_read_kernel_str returns, checked to [1,64], indexes the 64-byte buffer in a map value.
#include "../include/vt.h"

struct rec { char s[64]; __u8 last; };
VT_ARRAY(recs, struct rec, 1);

SEC("kprobe/do_nanosleep")
int helper_str_len(void *regs)
{
	__u32 key = 0;
	struct rec *r = bpf_map_lookup_elem(&recs, &key);
	long n;

	if (!r)
		return 0;
	n = bpf_probe_read_kernel_str(r->s, sizeof(r->s), *(void **)regs);
	if (n <= 0 || n > 64)
		return 0;
	r->last = r->s[n - 1];
	return 0;
}
