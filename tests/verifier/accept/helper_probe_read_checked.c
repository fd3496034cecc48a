// expect: accept
// A size compared against the buffer's length before the call.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_checked(void *regs)
{
	char buf[32] = {};
	__u64 n = *(__u64 *)regs;
	void *src = *(void **)(regs + 8);

	if (n > sizeof(buf))
		return 0;
	bpf_probe_read_kernel(buf, n, src);
	return buf[0];
}
