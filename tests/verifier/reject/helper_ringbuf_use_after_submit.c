// expect: reject is a scalar, not a pointer
// A store into the record after it was submitted.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_uaf(void *regs)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	if (!e)
		return 0;
	bpf_ringbuf_submit(e, 0);
	*e = 3;
	return 0;
}
