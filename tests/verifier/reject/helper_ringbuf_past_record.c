// expect: reject is outside the 16 bytes of the memory
// A 16-byte record written at offset 16.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_past(void *regs)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 16, 0);

	if (!e)
		return 0;
	e[0] = 1;
	e[2] = 2;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
