// expect: accept
// bpf_probe_read_kernel takes a size that may be 0 (ARG_CONST_SIZE_OR_ZERO): a constant 0 is fine.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int helper_read_zero(void *regs)
{
	char buf[8] = {};
	__u32 n = 0;

	VT_OPAQUE(n);
	bpf_probe_read_kernel(buf, n, *(void **)regs);
	return buf[0];
}
