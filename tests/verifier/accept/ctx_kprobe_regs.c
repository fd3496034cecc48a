// expect: accept
// cflags: -mcpu=v3 -D__TARGET_ARCH_x86
// kprobe: the first two arguments and the instruction pointer from pt_regs.
#include "../include/vt.h"
#include <asm/ptrace.h>
#include <bpf/bpf_tracing.h>

VT_HASH(calls, __u64, __u64, 128);

SEC("kprobe/do_nanosleep")
int ctx_kprobe(struct pt_regs *regs)
{
	__u64 key = PT_REGS_PARM1(regs) ^ PT_REGS_PARM2(regs) ^ PT_REGS_IP(regs), one = 1;

	bpf_map_update_elem(&calls, &key, &one, BPF_ANY);
	return 0;
}
