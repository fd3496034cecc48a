// expect: reject bpf_ringbuf_submit (helper 132) argument 1
// The same reservation submitted twice.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_twice(void *regs)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	if (!e)
		return 0;
	*e = 2;
	bpf_ringbuf_submit(e, 0);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
