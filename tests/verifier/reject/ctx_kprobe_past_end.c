// expect: reject context access off=168 size=8
// nyuki note: the kprobe context is declared as bytes of unknown size, so nyuki may miss this (the kernel refuses reads past sizeof(struct pt_regs) = 168)
// A read just past the end of pt_regs.
#include "../include/vt.h"

SEC("kprobe/do_nanosleep")
int ctx_kprobe_past(void *regs)
{
	__u64 x = *(__u64 *)(regs + 168);

	return x == 0;
}
