// expect: reject is not released before exit
// A reservation never submitted nor discarded.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_leak(void *regs)
{
	__u64 *e = bpf_ringbuf_reserve(&events, 8, 0);

	if (!e)
		return 0;
	*e = 1;
	return 0;
}
