/*
 * atomics.c - the BPF atomic instructions (-mcpu=v3) as clang emits them
 * for the __sync builtins: add, or, and, xor with and without fetch,
 * exchange and compare-and-exchange, 64- and 32-bit, on globals and on map
 * values. gcc-bpf 12 has no atomics.
 */
//! cflags -mcpu=v3
//! gcc skip gcc-bpf 12 has no atomic instructions
//! case all-the-atomics
//! data 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! args repeat 2
//! retval 271
//! var sum64 = 0e00000000000000
//! var bits32 = f1000000
//! var xored32 = 00000000
//! var swapped = 6400000000000000
//! var cas_value = 0700000000000000
//! var runs = 0200000000000000
//! map cells 00000000 = 0200000000000000
//! kernel .bss cells
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 sum64;
__u32 bits32;
__u32 xored32;
__u64 swapped;
__u64 cas_value;
__u64 runs;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cells SEC(".maps");

SEC("xdp")
int atomics(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *cell = bpf_map_lookup_elem(&cells, &zero), old, prev;

	if (!cell)
		return -1;
	__sync_fetch_and_add(cell, 1);
	old = __sync_fetch_and_add(&sum64, 7);
	__sync_fetch_and_or(&bits32, 0xf0);
	__sync_fetch_and_and(&bits32, 0xff);
	__sync_fetch_and_or(&bits32, 1);
	__sync_fetch_and_xor(&xored32, 3);
	__sync_fetch_and_xor(&xored32, 0);
	prev = __sync_lock_test_and_set(&swapped, 100);
	__sync_val_compare_and_swap(&cas_value, 0, 5);
	__sync_val_compare_and_swap(&cas_value, 5, 7);
	__sync_val_compare_and_swap(&cas_value, 5, 9);   /* fails: it is 7 */
	__sync_fetch_and_add(&runs, 1);
	return old * 10 + prev + (xored32 == 3 ? 2 : 1) * 1 + (bits32 == 0xf1 ? 100 : 0);
}

char LICENSE[] SEC("license") = "GPL";
