// expect: reject (helper 113) argument 2: size r2
// n <= 33 checked, but the buffer (at the top of the frame) has 32 bytes.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_obo(void *regs)
{
	char buf[32] = {};
	__u64 n = *(__u64 *)regs;
	void *src = *(void **)(regs + 8);

	if (n > 33)
		return 0;
	bpf_probe_read_kernel(buf, n, src);
	return buf[0];
}
