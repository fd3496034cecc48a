// expect: accept
// bpf_probe_read_kernel fills an uninitialised stack buffer of a constant size; reading it after is fine.
#include "../include/vt.h"

VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_read_const(void *regs)
{
	char buf[16];
	void *src = *(void **)regs;

	bpf_probe_read_kernel(buf, sizeof(buf), src);
	return buf[0] == 'a';
}
