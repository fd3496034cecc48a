/*
 * printk.c - bpf_printk (bpf_trace_printk, and bpf_trace_vprintk for more
 * than three arguments) with %d %u %x %s %c %llu formats: nyuki prints
 * the lines to stderr (the kernel to its trace pipe). bpf_snprintf formats
 * into a buffer in `.bss`, compared with the kernel's.
 */
//! case printk-lines
//! data 02 00 00 00 00 02 02 00 00 00 00 01 08 00 68 69
//! retval 23
//! stderr hello from xdp, 16 bytes
//! stderr signed -5 unsigned 4294967291 hex 2a
//! stderr char Z
//! stderr four args: 1 2 3 4
//! stderr str=nyuki
//! var out = 6c656e3d31362066697273743d30783032206e3d2d3500000000000000000000
//! kernel .bss
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

char out[32];

SEC("xdp")
int printk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	int len = data_end - data, neg = -5;
	static const char name[] = "nyuki";
	__u64 args[3];

	bpf_printk("hello from xdp, %d bytes", len);
	bpf_printk("signed %d unsigned %u hex %x", neg, neg, 42);
	bpf_printk("char %c", 'Z');
	bpf_printk("four args: %d %d %d %d", 1, 2, 3, 4);
	bpf_printk("str=%s", name);

	if (data + 1 > data_end)
		return 0;
	args[0] = len;
	args[1] = *(__u8 *)data;
	args[2] = neg;
	return bpf_snprintf(out, sizeof(out), "len=%d first=0x%02x n=%lld", args, sizeof(args));
}

char LICENSE[] SEC("license") = "GPL";
