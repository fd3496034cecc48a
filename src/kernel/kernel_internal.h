/*
 * kernel_internal.h - shared inside the kernel backend.
 */
#ifndef NYUKI_KERNEL_INTERNAL_H
#define NYUKI_KERNEL_INTERNAL_H

#include <linux/bpf.h>

#include "nyuki/kernel.h"

/* bpf(2) itself: returns the result or a negative errno (retries EINTR). */
int kernel_bpf(int cmd, union bpf_attr *attr);

/* What the wrapped program returns when the test body ran to its exit. */
enum { KERNEL_WRAP_DONE = 2 };

struct kernel_wrap_opts {
	int mem_fd;          /* array map holding mem (one value), or -1: r1 = 0 */
	int32_t mem_len;     /* r2 */
	int result_fd;       /* array map whose u64 value receives r0 */
	int packet;          /* save the context in r6 for LD_ABS/LD_IND */
};

/*
 * Build the kernel program that runs `body` as a conformance test (see
 * wrap.c). On success *out is malloc'ed; returns 0 or a negative errno.
 */
int kernel_wrap(const struct nyk_insn *body, size_t count, const struct kernel_wrap_opts *o, struct nyk_insn **out,
		size_t *out_count);

/* Whether the program uses the legacy packet loads (LD_ABS, LD_IND). */
int kernel_has_packet_access(const struct nyk_insn *body, size_t count);

#endif
