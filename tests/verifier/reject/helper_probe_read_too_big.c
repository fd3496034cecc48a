// expect: reject (helper 113) argument
// 17 bytes into a 16-byte buffer at the top of the frame.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_big(void *regs)
{
	char buf[16] = {};
	void *src = *(void **)(regs + 8);
	__u32 n = 17;

	VT_OPAQUE(buf[0]);
	bpf_probe_read_kernel(buf, n, src);
	return buf[0];
}
