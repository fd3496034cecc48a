// expect: reject read-only map value
// bpf_probe_read_kernel asked to write into a .rodata variable.
#include "../include/vt.h"

const volatile __u64 config = 1;

SEC("kprobe/do_nanosleep")
int helper_ro(void *regs)
{
	bpf_probe_read_kernel((void *)&config, sizeof(config), *(void **)regs);
	return 0;
}
