/*
 * helpers_internal.h - the user-space helpers, by file:
 *
 *   helpers.c       the table of implementations, registration
 *   helper_names.c  kernel helper ids and names
 *   h_maps.c        maps, queues, ring buffers, perf output, tail calls,
 *                   for_each_map_elem, spin locks
 *   h_misc.c        time, random numbers, CPU, current task, strings, bpf_loop
 *   h_print.c       trace_printk, trace_vprintk, snprintf and the trace sink
 *   h_probe.c       probe_read and friends: fault-safe copies
 *   h_net.c         checksums, xdp_adjust_*, skb_load/store_bytes, redirect
 *
 * Every helper has the nyk_helper_fn signature and the kernel's semantics
 * (negative errno returns, dst zeroed on failure where the kernel does).
 * Internal functions of this module start with helper_.
 */
#ifndef NYUKI_HELPERS_INTERNAL_H
#define NYUKI_HELPERS_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "nyuki/helpers.h"
#include "nyuki/vm.h"

/* Kernel error numbers that user space lacks. */
#define HELPER_ENOTSUPP 524

#define HELPER_ARGS uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *exec
#define HELPER(name) uint64_t helper_##name(HELPER_ARGS)

/* A negative errno as the 64-bit value a helper returns. */
static inline uint64_t helper_err(int e)
{
	return (uint64_t)(int64_t)-e;
}

static inline void *helper_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* Whether the program may access [addr, addr+len) with `flags` (always, in unchecked runs). */
static inline int helper_mem_ok(struct nyk_exec *exec, uint64_t addr, uint64_t len, unsigned flags)
{
	if (!nyk_exec_checked(exec))
		return addr != 0 || len == 0;
	return nyk_exec_check_mem(exec, addr, len, flags) == 0 && (addr != 0 || len == 0);
}

/* Highest helper id with a kernel name. */
uint32_t helper_max_id(void);

/*
 * Copy `n` bytes from `src` without faulting: from memory the run may read
 * (checked runs: only that), else (unchecked runs) from any readable
 * memory of the process where the platform can tell (Linux:
 * process_vm_readv). Returns the bytes copied before the first unreadable
 * one.
 */
size_t helper_safe_copy(struct nyk_exec *exec, void *dst, uint64_t src, size_t n);
/* Copy a string of at most n - 1 bytes plus NUL; -EFAULT if unreadable, else its length with the NUL. */
long helper_safe_copy_str(struct nyk_exec *exec, char *dst, uint64_t src, size_t n);

/* The formatter of trace_printk/snprintf (h_print.c): kernel format subset, args as u64. */
long helper_format(struct nyk_exec *exec, char *out, size_t out_size, const char *fmt, size_t fmt_size,
		   const uint64_t *args, size_t nargs);

/* One current time source per clock (h_misc.c). */
uint64_t helper_clock_ns(int which);

/* ---- the implementations -------------------------------------------------------- */

/* h_maps.c */
HELPER(map_lookup_elem);
HELPER(map_update_elem);
HELPER(map_delete_elem);
HELPER(map_push_elem);
HELPER(map_pop_elem);
HELPER(map_peek_elem);
HELPER(map_lookup_percpu_elem);
HELPER(tail_call);
HELPER(for_each_map_elem);
HELPER(spin_lock);
HELPER(spin_unlock);
HELPER(ringbuf_output);
HELPER(ringbuf_reserve);
HELPER(ringbuf_submit);
HELPER(ringbuf_discard);
HELPER(ringbuf_query);
HELPER(perf_event_output);

/* h_misc.c */
HELPER(ktime_get_ns);
HELPER(ktime_get_boot_ns);
HELPER(ktime_get_coarse_ns);
HELPER(ktime_get_tai_ns);
HELPER(jiffies64);
HELPER(get_prandom_u32);
HELPER(get_smp_processor_id);
HELPER(get_numa_node_id);
HELPER(get_current_pid_tgid);
HELPER(get_current_uid_gid);
HELPER(get_current_comm);
HELPER(strncmp);
HELPER(strtol);
HELPER(strtoul);
HELPER(loop);

/* h_print.c */
HELPER(trace_printk);
HELPER(trace_vprintk);
HELPER(snprintf);

/* h_probe.c */
HELPER(probe_read);
HELPER(probe_read_str);
HELPER(probe_read_user);
HELPER(probe_read_kernel);
HELPER(probe_read_user_str);
HELPER(probe_read_kernel_str);

/* h_net.c */
HELPER(csum_diff);
HELPER(l3_csum_replace);
HELPER(l4_csum_replace);
HELPER(csum_update);
HELPER(xdp_adjust_head);
HELPER(xdp_adjust_tail);
HELPER(xdp_adjust_meta);
HELPER(xdp_get_buff_len);
HELPER(xdp_load_bytes);
HELPER(xdp_store_bytes);
HELPER(skb_load_bytes);
HELPER(skb_load_bytes_relative);
HELPER(skb_store_bytes);
HELPER(skb_pull_data);
HELPER(redirect);

/* Checksum arithmetic the helpers share with tests: 32-bit one's complement sum and its fold. */
uint32_t helper_csum_add(uint32_t a, uint32_t b);
uint16_t helper_csum_fold(uint32_t sum);

#endif
