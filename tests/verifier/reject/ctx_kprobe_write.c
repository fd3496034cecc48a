// expect: reject context access off=112 size=8
// cflags: -mcpu=v3 -D__TARGET_ARCH_x86
// kprobe programs cannot write pt_regs.
#include "../include/vt.h"
#include <asm/ptrace.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_nanosleep")
int ctx_kprobe_w(struct pt_regs *regs)
{
	regs->rdi = 0;
	return 0;
}
