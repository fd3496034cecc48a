// expect: accept
// A tracepoint reading the syscall's first argument from its record.
#include "../include/vt.h"

struct sys_enter_args { __u64 common; long id; __u64 args[6]; };
VT_HASH(sleeps, __u32, __u64, 1024);

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int tp_enter(struct sys_enter_args *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 arg = ctx->args[0];

	bpf_map_update_elem(&sleeps, &pid, &arg, BPF_ANY);
	return 0;
}
