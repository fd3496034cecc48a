// expect: reject (helper 113) argument 2: size r2
// The size comes straight from pt_regs: unbounded.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_unbounded(void *regs)
{
	char buf[16] = {};
	__u64 n = *(__u64 *)regs;
	void *src = *(void **)(regs + 8);

	bpf_probe_read_kernel(buf, n, src);
	return buf[0];
}
