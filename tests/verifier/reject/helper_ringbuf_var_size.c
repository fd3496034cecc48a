// expect: reject bpf_ringbuf_reserve (helper 131) argument 2
// The reservation size must be a constant; here it depends on the probe's argument.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_var(void *regs)
{
	__u64 n = (*(__u64 *)regs & 63) + 8;
	__u64 *e = bpf_ringbuf_reserve(&events, n, 0);

	if (!e)
		return 0;
	*e = n;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
