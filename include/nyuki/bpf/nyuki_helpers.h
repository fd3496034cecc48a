/*
 * nyuki/bpf/nyuki_helpers.h - for BPF C programs (clang or gcc -target bpf),
 * the little that libbpf's <bpf/bpf_helpers.h> does not offer. Include it
 * after <bpf/bpf_helpers.h>.
 *
 * nyk_atomic_add(p, v): an atomic add on map values and globals. clang emits
 * the BPF atomic instruction for __sync_fetch_and_add; gcc-bpf before 13
 * has no atomic instructions and rejects it, so there it is a plain add
 * (right for one CPU: user-space runs, BPF_PROG_TEST_RUN).
 *
 * nyk_subprog: a bpf-to-bpf subprogram that keeps its arguments. gcc's
 * IPA-SRA would pass a static function ctx->data (a __u32 field) instead of
 * ctx, and the callee would then hold a 32-bit "pointer" (`w1 = w1`),
 * which neither nyuki nor the kernel's verifier can follow.
 *
 * gcc-bpf before 13 also turns a second call of one of libbpf's helper
 * pointers (`static void *(*bpf_map_lookup_elem)(...) = (void *)1`) into an
 * indirect call it then refuses. With such a gcc, the helpers below are
 * redeclared with gcc's kernel_helper attribute, which emits `call N`.
 */
#ifndef NYUKI_BPF_NYUKI_HELPERS_H
#define NYUKI_BPF_NYUKI_HELPERS_H

#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 13)
#define nyk_atomic_add(p, v) ((void)__sync_fetch_and_add((p), (v)))
#else
#define nyk_atomic_add(p, v) ((void)(*(p) += (v)))
#endif

#if defined(__clang__)
#define nyk_subprog __attribute__((noinline))
#else
#define nyk_subprog __attribute__((noinline, noipa))
#endif

#if !defined(__clang__) && defined(__GNUC__) && __GNUC__ < 13
#define NYK_GCC_HELPER(ret, name, id, ...) \
	ret nyk_gcc_##name(__VA_ARGS__) __attribute__((kernel_helper(id)));
struct bpf_spin_lock;
NYK_GCC_HELPER(void *, bpf_map_lookup_elem, 1, void *map, const void *key)
NYK_GCC_HELPER(long, bpf_map_update_elem, 2, void *map, const void *key, const void *value, __u64 flags)
NYK_GCC_HELPER(long, bpf_map_delete_elem, 3, void *map, const void *key)
NYK_GCC_HELPER(__u64, bpf_ktime_get_ns, 5, void)
NYK_GCC_HELPER(long, bpf_trace_printk, 6, const char *fmt, __u32 fmt_size, ...)
NYK_GCC_HELPER(__u32, bpf_get_prandom_u32, 7, void)
NYK_GCC_HELPER(__u32, bpf_get_smp_processor_id, 8, void)
NYK_GCC_HELPER(long, bpf_skb_store_bytes, 9, void *skb, __u32 offset, const void *from, __u32 len, __u64 flags)
NYK_GCC_HELPER(long, bpf_l3_csum_replace, 10, void *skb, __u32 offset, __u64 from, __u64 to, __u64 size)
NYK_GCC_HELPER(long, bpf_l4_csum_replace, 11, void *skb, __u32 offset, __u64 from, __u64 to, __u64 flags)
NYK_GCC_HELPER(long, bpf_tail_call, 12, void *ctx, void *prog_array_map, __u32 index)
NYK_GCC_HELPER(__u64, bpf_get_current_pid_tgid, 14, void)
NYK_GCC_HELPER(long, bpf_perf_event_output, 25, void *ctx, void *map, __u64 flags, void *data, __u64 size)
NYK_GCC_HELPER(long, bpf_skb_load_bytes, 26, const void *skb, __u32 offset, void *to, __u32 len)
NYK_GCC_HELPER(__s64, bpf_csum_diff, 28, __be32 *from, __u32 from_size, __be32 *to, __u32 to_size, __wsum seed)
NYK_GCC_HELPER(long, bpf_get_numa_node_id, 42, void)
NYK_GCC_HELPER(long, bpf_xdp_adjust_head, 44, struct xdp_md *xdp_md, int delta)
NYK_GCC_HELPER(long, bpf_xdp_adjust_meta, 54, struct xdp_md *xdp_md, int delta)
NYK_GCC_HELPER(long, bpf_xdp_adjust_tail, 65, struct xdp_md *xdp_md, int delta)
NYK_GCC_HELPER(long, bpf_map_push_elem, 87, void *map, const void *value, __u64 flags)
NYK_GCC_HELPER(long, bpf_map_pop_elem, 88, void *map, void *value)
NYK_GCC_HELPER(long, bpf_map_peek_elem, 89, void *map, void *value)
NYK_GCC_HELPER(long, bpf_spin_lock, 93, struct bpf_spin_lock *lock)
NYK_GCC_HELPER(long, bpf_spin_unlock, 94, struct bpf_spin_lock *lock)
NYK_GCC_HELPER(long, bpf_strtol, 105, const char *buf, unsigned long buf_len, __u64 flags, long *res)
NYK_GCC_HELPER(long, bpf_strtoul, 106, const char *buf, unsigned long buf_len, __u64 flags, unsigned long *res)
NYK_GCC_HELPER(__u64, bpf_jiffies64, 118, void)
NYK_GCC_HELPER(__u64, bpf_ktime_get_boot_ns, 125, void)
NYK_GCC_HELPER(long, bpf_ringbuf_output, 130, void *ringbuf, void *data, __u64 size, __u64 flags)
NYK_GCC_HELPER(void *, bpf_ringbuf_reserve, 131, void *ringbuf, __u64 size, __u64 flags)
NYK_GCC_HELPER(void, bpf_ringbuf_submit, 132, void *data, __u64 flags)
NYK_GCC_HELPER(void, bpf_ringbuf_discard, 133, void *data, __u64 flags)
NYK_GCC_HELPER(__u64, bpf_ringbuf_query, 134, void *ringbuf, __u64 flags)
NYK_GCC_HELPER(long, bpf_for_each_map_elem, 164, void *map, void *callback_fn, void *callback_ctx, __u64 flags)
NYK_GCC_HELPER(long, bpf_snprintf, 165, char *str, __u32 str_size, const char *fmt, __u64 *data, __u32 data_len)
NYK_GCC_HELPER(__u64, bpf_ktime_get_coarse_ns, 160, void)
NYK_GCC_HELPER(long, bpf_loop, 181, __u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags)
NYK_GCC_HELPER(long, bpf_strncmp, 182, const char *s1, __u32 s1_sz, const char *s2)
#undef NYK_GCC_HELPER
#define bpf_map_lookup_elem(...) nyk_gcc_bpf_map_lookup_elem(__VA_ARGS__)
#define bpf_map_update_elem(...) nyk_gcc_bpf_map_update_elem(__VA_ARGS__)
#define bpf_map_delete_elem(...) nyk_gcc_bpf_map_delete_elem(__VA_ARGS__)
#define bpf_ktime_get_ns(...) nyk_gcc_bpf_ktime_get_ns(__VA_ARGS__)
#define bpf_trace_printk(...) nyk_gcc_bpf_trace_printk(__VA_ARGS__)
#define bpf_get_prandom_u32(...) nyk_gcc_bpf_get_prandom_u32(__VA_ARGS__)
#define bpf_get_smp_processor_id(...) nyk_gcc_bpf_get_smp_processor_id(__VA_ARGS__)
#define bpf_skb_store_bytes(...) nyk_gcc_bpf_skb_store_bytes(__VA_ARGS__)
#define bpf_l3_csum_replace(...) nyk_gcc_bpf_l3_csum_replace(__VA_ARGS__)
#define bpf_l4_csum_replace(...) nyk_gcc_bpf_l4_csum_replace(__VA_ARGS__)
#define bpf_tail_call(...) nyk_gcc_bpf_tail_call(__VA_ARGS__)
#define bpf_get_current_pid_tgid(...) nyk_gcc_bpf_get_current_pid_tgid(__VA_ARGS__)
#define bpf_perf_event_output(...) nyk_gcc_bpf_perf_event_output(__VA_ARGS__)
#define bpf_skb_load_bytes(...) nyk_gcc_bpf_skb_load_bytes(__VA_ARGS__)
#define bpf_csum_diff(...) nyk_gcc_bpf_csum_diff(__VA_ARGS__)
#define bpf_get_numa_node_id(...) nyk_gcc_bpf_get_numa_node_id(__VA_ARGS__)
#define bpf_xdp_adjust_head(...) nyk_gcc_bpf_xdp_adjust_head(__VA_ARGS__)
#define bpf_xdp_adjust_meta(...) nyk_gcc_bpf_xdp_adjust_meta(__VA_ARGS__)
#define bpf_xdp_adjust_tail(...) nyk_gcc_bpf_xdp_adjust_tail(__VA_ARGS__)
#define bpf_map_push_elem(...) nyk_gcc_bpf_map_push_elem(__VA_ARGS__)
#define bpf_map_pop_elem(...) nyk_gcc_bpf_map_pop_elem(__VA_ARGS__)
#define bpf_map_peek_elem(...) nyk_gcc_bpf_map_peek_elem(__VA_ARGS__)
#define bpf_spin_lock(...) nyk_gcc_bpf_spin_lock(__VA_ARGS__)
#define bpf_spin_unlock(...) nyk_gcc_bpf_spin_unlock(__VA_ARGS__)
#define bpf_strtol(...) nyk_gcc_bpf_strtol(__VA_ARGS__)
#define bpf_strtoul(...) nyk_gcc_bpf_strtoul(__VA_ARGS__)
#define bpf_jiffies64(...) nyk_gcc_bpf_jiffies64(__VA_ARGS__)
#define bpf_ktime_get_boot_ns(...) nyk_gcc_bpf_ktime_get_boot_ns(__VA_ARGS__)
#define bpf_ringbuf_output(...) nyk_gcc_bpf_ringbuf_output(__VA_ARGS__)
#define bpf_ringbuf_reserve(...) nyk_gcc_bpf_ringbuf_reserve(__VA_ARGS__)
#define bpf_ringbuf_submit(...) nyk_gcc_bpf_ringbuf_submit(__VA_ARGS__)
#define bpf_ringbuf_discard(...) nyk_gcc_bpf_ringbuf_discard(__VA_ARGS__)
#define bpf_ringbuf_query(...) nyk_gcc_bpf_ringbuf_query(__VA_ARGS__)
#define bpf_for_each_map_elem(...) nyk_gcc_bpf_for_each_map_elem(__VA_ARGS__)
#define bpf_snprintf(...) nyk_gcc_bpf_snprintf(__VA_ARGS__)
#define bpf_ktime_get_coarse_ns(...) nyk_gcc_bpf_ktime_get_coarse_ns(__VA_ARGS__)
#define bpf_loop(...) nyk_gcc_bpf_loop(__VA_ARGS__)
#define bpf_strncmp(...) nyk_gcc_bpf_strncmp(__VA_ARGS__)
#endif

#endif
