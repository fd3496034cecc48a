// expect: accept
// Reserve, null check, fill, submit.
#include "../include/vt.h"

struct event { __u32 pid; __u32 cpu; __u64 ts; };
VT_RINGBUF(events, 4096);

SEC("kprobe/do_nanosleep")
int helper_rb_submit(void *regs)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->cpu = bpf_get_smp_processor_id();
	e->ts = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, 0);
	return 0;
}
