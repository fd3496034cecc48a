/*
 * kprobe_ctx.c - a kprobe program run in user space with its context
 * (struct pt_regs of x86-64) given as bytes: ctx_in. BPF_KPROBE reads the
 * arguments from di, si and dx; bpf_probe_read_kernel of a bad address
 * fails with -EFAULT and zeroes the buffer instead of crashing; the
 * process ids are those of the running process. The kernel cannot test-run
 * kprobes, so nyuki alone runs it.
 */
//! cflags -D__TARGET_ARCH_x86
//! case arguments-from-pt-regs
//! ctx 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 03 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! ctx 00 00 00 00 00 00 00 00
//! retval 1
//! var seen = 0100000000000000 0200000000000000 0300000000000000 f2ffffffffffffff 0000000000000000 0100000000000000
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <nyuki/bpf/nyuki_helpers.h>

struct {
	__u64 a, b, c;
	__s64 read_err;
	__u64 read_value;
	__u64 has_pid;
} seen;

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(open_probe, long dfd, const char *name, void *how)
{
	__u64 value = 0x5555;

	seen.a = dfd;
	seen.b = (__u64)name;
	seen.c = (__u64)how;
	seen.read_err = bpf_probe_read_kernel(&value, sizeof(value), (void *)16);
	seen.read_value = value;
	seen.has_pid = (bpf_get_current_pid_tgid() >> 32) != 0;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
