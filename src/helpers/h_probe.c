/*
 * h_probe.c - bpf_probe_read and friends: copies that never fault.
 *
 * Memory the run may access (its context, stack, packet, map values) is
 * copied directly. In checked runs nothing else is readable: a program
 * that no verifier accepted reads no host memory it was not given. In
 * unchecked runs any readable memory of the process is, through
 * process_vm_readv on Linux (elsewhere: none). As in the kernel, a failed
 * copy zeroes the destination and returns -EFAULT.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1   /* process_vm_readv */
#endif

#include <string.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/uio.h>
#endif

#include "helpers/helpers_internal.h"

enum { PAGE = 4096, IOV_CHUNKS = 16 };

/* Bytes of [src, src + n) readable from the run's memory, counted from src. */
static size_t run_prefix(struct nyk_exec *exec, uint64_t src, size_t n)
{
	size_t lo = 0, hi = n;   /* lo bytes are readable; more than hi are not */

	if (src + n < src)
		hi = (size_t)(UINT64_MAX - src);
	if (nyk_exec_check_mem(exec, src, hi, NYK_MEM_READ) == 0)
		return hi;
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nyk_exec_check_mem(exec, src, mid, NYK_MEM_READ) == 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Copy from anywhere in the process, page by page; the bytes before the first unreadable page. */
static size_t process_copy(void *dst, uint64_t src, size_t n)
{
#if defined(__linux__)
	size_t done = 0;

	while (done < n) {
		struct iovec local, remote[IOV_CHUNKS];
		size_t want = 0, k = 0;
		ssize_t got;
		while (k < IOV_CHUNKS && done + want < n) {
			uint64_t a = src + done + want;
			size_t len = PAGE - (size_t)(a % PAGE);
			if (len > n - done - want)
				len = n - done - want;
			remote[k].iov_base = (void *)(uintptr_t)a;
			remote[k].iov_len = len;
			want += len;
			k++;
		}
		local.iov_base = (uint8_t *)dst + done;
		local.iov_len = want;
		got = process_vm_readv(getpid(), &local, 1, remote, (unsigned long)k, 0);
		if (got <= 0)
			break;
		done += (size_t)got;
		if ((size_t)got < want)
			break;
	}
	return done;
#else
	(void)dst;
	(void)src;
	(void)n;
	return 0;
#endif
}

size_t helper_safe_copy(struct nyk_exec *exec, void *dst, uint64_t src, size_t n)
{
	size_t ok;

	if (!n)
		return 0;
	ok = run_prefix(exec, src, n);
	if (ok)
		memcpy(dst, (const void *)(uintptr_t)src, ok);
	if (ok == n || nyk_exec_checked(exec) || !src)
		return ok;
	return ok + process_copy((uint8_t *)dst + ok, src + ok, n - ok);
}

long helper_safe_copy_str(struct nyk_exec *exec, char *dst, uint64_t src, size_t n)
{
	size_t pos = 0;

	if (!n)
		return 0;
	while (pos < n - 1) {
		uint64_t a = src + pos;
		size_t chunk = PAGE - (size_t)(a % PAGE), got;
		char *nul;
		if (chunk > n - 1 - pos)
			chunk = n - 1 - pos;
		got = helper_safe_copy(exec, dst + pos, a, chunk);
		nul = memchr(dst + pos, 0, got);
		if (nul)
			return (long)(nul - dst) + 1;
		if (got < chunk)
			return -EFAULT;
		pos += got;
	}
	dst[n - 1] = '\0';
	return (long)n;
}

/* bpf_probe_read*(dst, size, unsafe_ptr) */
static uint64_t probe_read(HELPER_ARGS)
{
	size_t n = (uint32_t)r2;

	(void)r4;
	(void)r5;
	if (!helper_mem_ok(exec, r1, n, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	if (helper_safe_copy(exec, helper_ptr(r1), r3, n) == n)
		return 0;
	memset(helper_ptr(r1), 0, n);
	return helper_err(EFAULT);
}

/* bpf_probe_read*_str(dst, size, unsafe_ptr): the length with the NUL, or -EFAULT with dst zeroed. */
static uint64_t probe_read_str(HELPER_ARGS)
{
	size_t n = (uint32_t)r2;
	long len;

	(void)r4;
	(void)r5;
	if (!helper_mem_ok(exec, r1, n, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	len = helper_safe_copy_str(exec, helper_ptr(r1), r3, n);
	if (len >= 0)
		return (uint64_t)len;
	memset(helper_ptr(r1), 0, n);
	return helper_err(EFAULT);
}

HELPER(probe_read) { return probe_read(r1, r2, r3, r4, r5, exec); }
HELPER(probe_read_user) { return probe_read(r1, r2, r3, r4, r5, exec); }
HELPER(probe_read_kernel) { return probe_read(r1, r2, r3, r4, r5, exec); }
HELPER(probe_read_str) { return probe_read_str(r1, r2, r3, r4, r5, exec); }
HELPER(probe_read_user_str) { return probe_read_str(r1, r2, r3, r4, r5, exec); }
HELPER(probe_read_kernel_str) { return probe_read_str(r1, r2, r3, r4, r5, exec); }
