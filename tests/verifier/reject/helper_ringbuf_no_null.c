// expect: reject may be NULL
// The reservation is written before its null check.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_null(void *regs)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	*e = 1;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
