// expect: reject bpf_ringbuf_submit (helper 132) argument 1
// bpf_ringbuf_submit given a stack buffer instead of a reservation.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_stack(void *regs)
{
	__u64 rec[2] = { 1, 2 };

	VT_OPAQUE(rec[0]);
	bpf_ringbuf_submit(rec, 0);
	return 0;
}
