/*
 * helpers_time.c - helpers whose values depend on the machine, checked for
 * their properties: ktime_get_ns is monotonic, boot and coarse clocks run,
 * jiffies64 is positive, get_prandom_u32 is not stuck, the CPU and NUMA
 * node ids are small. Each property that holds sets one bit.
 */
//! case clock-and-ids
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! retval 0x7f
//! kernel
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

SEC("xdp")
int properties(struct xdp_md *ctx)
{
	__u64 t1 = bpf_ktime_get_ns(), t2 = bpf_ktime_get_ns();
	__u32 r1 = bpf_get_prandom_u32(), r2 = bpf_get_prandom_u32(), r3 = bpf_get_prandom_u32();
	int ok = 0;

	if (t1 > 0 && t2 >= t1)
		ok |= 1 << 0;
	if (bpf_ktime_get_boot_ns() > 0)
		ok |= 1 << 1;
	if (bpf_ktime_get_coarse_ns() > 0)
		ok |= 1 << 2;
	if (bpf_jiffies64() > 0)
		ok |= 1 << 3;
	if (r1 != r2 || r2 != r3)
		ok |= 1 << 4;
	if (bpf_get_smp_processor_id() < 4096)
		ok |= 1 << 5;
	if (bpf_get_numa_node_id() >= 0 && bpf_get_numa_node_id() < 1024)
		ok |= 1 << 6;
	return ok;
}

char LICENSE[] SEC("license") = "GPL";
