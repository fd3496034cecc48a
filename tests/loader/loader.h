/*
 * loader.h - the little that the loader tests' BPF programs need, for both
 * clang and gcc-bpf (whose version 12 cannot call libbpf's helper
 * pointers): section and map-definition macros as libbpf spells them, and
 * a few helpers by their kernel ids.
 */
#ifndef LOADER_TEST_H
#define LOADER_TEST_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef int __s32;
typedef long long __s64;

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __noinline __attribute__((noinline))
#define __weak __attribute__((weak))
#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))

enum {
	BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_PROG_ARRAY = 3, BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6, BPF_MAP_TYPE_LRU_HASH = 9, BPF_MAP_TYPE_LPM_TRIE = 11,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12, BPF_MAP_TYPE_HASH_OF_MAPS = 13, BPF_MAP_TYPE_QUEUE = 22,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum { BPF_F_NO_PREALLOC = 1, BPF_F_RDONLY_PROG = 1 << 7 };
enum { LIBBPF_PIN_NONE = 0, LIBBPF_PIN_BY_NAME = 1 };

#if defined(__clang__)
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *)2;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) = (void *)6;
static long (*bpf_tail_call)(void *ctx, void *prog_array_map, __u32 index) = (void *)12;
static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) = (void *)181;
#else
void *bpf_map_lookup_elem(void *map, const void *key) __attribute__((kernel_helper(1)));
long bpf_map_update_elem(void *map, const void *key, const void *value, __u64 flags) __attribute__((kernel_helper(2)));
long bpf_trace_printk(const char *fmt, __u32 fmt_size, ...) __attribute__((kernel_helper(6)));
long bpf_tail_call(void *ctx, void *prog_array_map, __u32 index) __attribute__((kernel_helper(12)));
long bpf_loop(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) __attribute__((kernel_helper(181)));
#endif

struct xdp_md { __u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; };

#endif
