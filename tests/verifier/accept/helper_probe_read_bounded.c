// expect: accept
// A size bounded to [0,15] into a 16-byte buffer (the size may be zero for probe_read).
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_bounded(void *regs)
{
	char buf[16] = {};
	__u64 n = *(__u64 *)regs & 15;
	void *src = *(void **)(regs + 8);

	bpf_probe_read_kernel(buf, n, src);
	return buf[3];
}
