// expect: accept
// cflags: -mcpu=v3 -D__TARGET_ARCH_x86
// An execsnoop-style probe: a ring buffer record filled with the pid, comm and a user string.
#include "../include/vt.h"
#include <asm/ptrace.h>
#include <bpf/bpf_tracing.h>

struct event { __u32 pid; char comm[16]; char path[64]; };
VT_RINGBUF(events, 1 << 16);

SEC("kprobe/do_sys_openat2")
int snoop(struct pt_regs *regs)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)PT_REGS_PARM2(regs));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
