/*
 * h_misc.c - helpers that need nothing but the host: clocks, random
 * numbers, the CPU and the current task, strings, bpf_loop.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include "helpers/helpers_internal.h"

/* ---- time ----------------------------------------------------------------------- */

enum { CLK_MONO, CLK_BOOT, CLK_COARSE, CLK_TAI };

uint64_t helper_clock_ns(int which)
{
	struct timespec ts;
	clockid_t id = CLOCK_MONOTONIC;

	switch (which) {
#ifdef CLOCK_BOOTTIME
	case CLK_BOOT: id = CLOCK_BOOTTIME; break;
#endif
#ifdef CLOCK_MONOTONIC_COARSE
	case CLK_COARSE: id = CLOCK_MONOTONIC_COARSE; break;
#endif
#ifdef CLOCK_TAI
	case CLK_TAI: id = CLOCK_TAI; break;
#endif
	default: break;
	}
	if (clock_gettime(id, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

HELPER(ktime_get_ns) { return helper_clock_ns(CLK_MONO); }
HELPER(ktime_get_boot_ns) { return helper_clock_ns(CLK_BOOT); }
HELPER(ktime_get_coarse_ns) { return helper_clock_ns(CLK_COARSE); }
HELPER(ktime_get_tai_ns) { return helper_clock_ns(CLK_TAI); }

/* jiffies at HZ = 250 (Debian's CONFIG_HZ): user space cannot know the kernel's. */
HELPER(jiffies64)
{
	return helper_clock_ns(CLK_MONO) / (1000000000u / 250u);
}

/* ---- random numbers, CPU ------------------------------------------------------------ */

/* xorshift64*, seeded per thread from the clock: bpf_get_prandom_u32 promises no more. */
HELPER(get_prandom_u32)
{
	static _Thread_local uint64_t state;

	if (!state)
		state = (helper_clock_ns(CLK_MONO) ^ (uint64_t)(uintptr_t)&state) | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* User-space runs are one logical CPU, on NUMA node 0. */
HELPER(get_smp_processor_id) { return 0; }
HELPER(get_numa_node_id) { return 0; }

/* ---- the current task -------------------------------------------------------------- */

HELPER(get_current_pid_tgid)
{
	uint64_t tgid = (uint64_t)getpid(), tid = tgid;
#if defined(__linux__) && defined(SYS_gettid)
	tid = (uint64_t)syscall(SYS_gettid);
#endif
	return tgid << 32 | (uint32_t)tid;
}

HELPER(get_current_uid_gid)
{
	return (uint64_t)getgid() << 32 | (uint32_t)getuid();
}

/* bpf_get_current_comm(buf, size): the task's name (16 bytes at most), NUL-padded. */
HELPER(get_current_comm)
{
	char comm[17] = "nyuki";
	size_t size = (uint32_t)r2, n;
	char *buf = helper_ptr(r1);

	if (!size || !helper_mem_ok(exec, r1, size, NYK_MEM_WRITE))
		return helper_err(EFAULT);
#if defined(__linux__) && defined(PR_GET_NAME)
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	comm[16] = '\0';
#endif
	n = strlen(comm);
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, comm, n);
	memset(buf + n, 0, size - n);
	return 0;
}

/* ---- strings ------------------------------------------------------------------------ */

/* bpf_strncmp(s1, s1_sz, s2): the kernel's strncmp, -1, 0 or 1. s2 is a NUL-terminated constant. */
HELPER(strncmp)
{
	const unsigned char *a = helper_ptr(r1), *b = helper_ptr(r3);
	size_t n = (uint32_t)r2;

	if (!helper_mem_ok(exec, r1, n, NYK_MEM_READ))
		return helper_err(EFAULT);
	for (size_t i = 0; i < n; i++) {
		if (!helper_mem_ok(exec, r3 + i, 1, NYK_MEM_READ))
			return helper_err(EFAULT);
		if (a[i] != b[i])
			return a[i] < b[i] ? (uint64_t)-1 : 1;
		if (!a[i])
			break;
	}
	return 0;
}

#define STRTOX_BASE_MASK 0x1fu

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
}

static int is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The kernel's parse of bpf_strtol/bpf_strtoul: leading white space, an
 * optional '-', then digits in base 8, 10 or 16 (base 0: "0x" hex, "0"
 * octal, else decimal; base 16 skips a "0x"); at most 63 characters after
 * the sign are looked at. Returns the characters consumed, or -EINVAL (no
 * digits, bad base or flags) or -ERANGE (overflow).
 */
static long parse_ull(const char *buf, size_t len, uint64_t flags, unsigned long long *res, int *neg)
{
	unsigned base = (unsigned)(flags & STRTOX_BASE_MASK);
	size_t i = 0, start, end;
	unsigned long long v = 0;
	int overflow = 0;

	if (!len || (flags & ~(uint64_t)STRTOX_BASE_MASK) || (base && base != 8 && base != 10 && base != 16))
		return -EINVAL;
	while (i < len && is_space((unsigned char)buf[i]))
		i++;
	*neg = i < len && buf[i] == '-';
	if (*neg)
		i++;
	if (i == len)
		return -EINVAL;
	end = len - i > 63 ? i + 63 : len;   /* the kernel copies at most 63 bytes */
	start = i;
	if (base == 0) {
		if (buf[i] == '0') {
			if (i + 2 < end && (buf[i + 1] | 0x20) == 'x' && digit_value((unsigned char)buf[i + 2]) < 16)
				base = 16;
			else
				base = 8;
		} else {
			base = 10;
		}
	}
	if (base == 16 && i + 1 < end && buf[i] == '0' && (buf[i + 1] | 0x20) == 'x')
		i += 2;
	start = i;
	for (; i < end; i++) {
		unsigned d = (unsigned)digit_value((unsigned char)buf[i]);
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			overflow = 1;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (i == start)
		return -EINVAL;
	*res = v;
	return (long)i;
}

/*
 * bpf_strtol and bpf_strtoul: parse buf[0..len) with `flags`, check that
 * the value fits a long (signed) or that there is no '-' (unsigned: -EINVAL
 * as the kernel), store it at `res`; the characters consumed or -errno.
 */
static uint64_t strtox(struct nyk_exec *exec, uint64_t buf, uint64_t len, uint64_t flags, uint64_t res, int is_signed)
{
	unsigned long long v;
	int neg;
	long n;

	if (!helper_mem_ok(exec, buf, (uint32_t)len, NYK_MEM_READ) || !helper_mem_ok(exec, res, 8, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	n = parse_ull(helper_ptr(buf), (uint32_t)len, flags, &v, &neg);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (neg && !is_signed)
		return helper_err(EINVAL);
	if (neg) {
		if (v > (unsigned long long)LLONG_MAX + 1)
			return helper_err(ERANGE);
		v = 0 - v;
	} else if (is_signed && v > (unsigned long long)LLONG_MAX) {
		return helper_err(ERANGE);
	}
	memcpy(helper_ptr(res), &v, 8);
	return (uint64_t)n;
}

/* bpf_strtol(buf, buf_len, flags, long *res) */
HELPER(strtol)
{
	return strtox(exec, r1, r2, r3, r4, 1);
}

/* bpf_strtoul(buf, buf_len, flags, unsigned long *res): a '-' is -EINVAL. */
HELPER(strtoul)
{
	return strtox(exec, r1, r2, r3, r4, 0);
}

/* ---- bpf_loop --------------------------------------------------------------------- */

#define MAX_LOOPS (1u << 23)   /* BPF_MAX_LOOPS */

/* bpf_loop(nr_loops, callback, ctx, flags): callback(i, ctx) until it returns non-zero. */
HELPER(loop)
{
	uint32_t n = (uint32_t)r1;
	uint64_t args[5] = { 0, r3, 0, 0, 0 };

	if (r4)
		return helper_err(EINVAL);
	if (n > MAX_LOOPS)
		return helper_err(E2BIG);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t ret = 0;
		int rc;
		args[0] = i;
		rc = nyk_exec_call(exec, r2, args, &ret);
		if (rc)
			return rc < 0 ? helper_err(-rc) : 0;
		if (ret)
			return (uint64_t)i + 1;
	}
	return n;
}
