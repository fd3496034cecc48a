/*
 * bpf.c - the bpf(2) system call, one small function per command used:
 * program load (with the verifier log), map create/update/lookup and
 * program test run. Linux uapi headers and libc only.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/kernel_internal.h"

/* Verifier log buffer used to find the reason of a refusal. */
#define REASON_LOG_SIZE (1u << 20)

static uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

int kernel_bpf(int cmd, union bpf_attr *attr)
{
	long rc;

	do {
		rc = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	} while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : (int)rc;
}

static void copy_name(char *dst, const char *name)
{
	size_t n = 0;

	if (!name)
		return;
	/* Object names allow [A-Za-z0-9_.]; replace anything else. */
	for (; name[n] && n < BPF_OBJ_NAME_LEN - 1; n++) {
		char c = name[n];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			 c == '.';
		dst[n] = ok ? c : '_';
	}
	dst[n] = '\0';
}

static int load_once(const struct nyk_insn *insns, size_t count, const struct nyk_kernel_prog_opts *o,
		     char *log, size_t log_size, uint32_t log_level)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = o->prog_type;
	attr.expected_attach_type = o->expected_attach_type;
	attr.prog_flags = o->prog_flags;
	attr.insns = ptr_to_u64(insns);
	attr.insn_cnt = (uint32_t)count;
	attr.license = ptr_to_u64(o->license ? o->license : "GPL");
	copy_name(attr.prog_name, o->name);
	if (log && log_size) {
		if (log_size > UINT32_MAX)
			log_size = UINT32_MAX;
		log[0] = '\0';
		attr.log_buf = ptr_to_u64(log);
		attr.log_size = (uint32_t)log_size;
		attr.log_level = log_level ? log_level : 1;
	}
	return kernel_bpf(BPF_PROG_LOAD, &attr);
}

static void refusal(const char *log, int rc, struct nyk_error *err)
{
	char reason[NYK_ERROR_MSG_MAX];

	if (log && nyk_kernel_log_reason(log, reason, sizeof(reason)))
		nyk_error_set(err, rc, "%s", reason);
	else
		nyk_error_set(err, rc, "kernel refused the program: %s", strerror(-rc));
}

int nyk_kernel_prog_load(const struct nyk_insn *insns, size_t count, const struct nyk_kernel_prog_opts *opts,
			 struct nyk_error *err)
{
	struct nyk_kernel_prog_opts o;
	char *log;
	int fd, again;

	memset(&o, 0, sizeof(o));
	if (opts)
		memcpy(&o, opts, opts->size < sizeof(o) ? opts->size : sizeof(o));
	if (!insns || count == 0 || count > UINT32_MAX)
		return nyk_error_set(err, -EINVAL, "kernel program load: no instructions");
	fd = load_once(insns, count, &o, o.log, o.log_size, o.log_level);
	if (fd >= 0)
		return fd;
	if (o.log) {
		refusal(o.log, fd, err);
		return fd;
	}
	/* Load again with a log to learn why. */
	log = malloc(REASON_LOG_SIZE);
	if (!log) {
		refusal(NULL, fd, err);
		return fd;
	}
	again = load_once(insns, count, &o, log, REASON_LOG_SIZE, 1);
	if (again >= 0) {
		free(log);   /* accepted the second time (should not happen): keep it */
		return again;
	}
	refusal(log, fd, err);
	free(log);
	return fd;
}

int nyk_kernel_map_create(uint32_t map_type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
			  const char *name, struct nyk_error *err)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	copy_name(attr.map_name, name);
	fd = kernel_bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0)
		return nyk_error_set(err, fd, "kernel map create (type %u, key %u, value %u, %u entries): %s", map_type,
				     key_size, value_size, max_entries, strerror(-fd));
	return fd;
}

int nyk_kernel_map_update(int map_fd, const void *key, const void *value, uint64_t flags, struct nyk_error *err)
{
	union bpf_attr attr;
	int rc;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	rc = kernel_bpf(BPF_MAP_UPDATE_ELEM, &attr);
	if (rc < 0)
		return nyk_error_set(err, rc, "kernel map update: %s", strerror(-rc));
	return 0;
}

int nyk_kernel_map_lookup(int map_fd, const void *key, void *value, struct nyk_error *err)
{
	union bpf_attr attr;
	int rc;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	rc = kernel_bpf(BPF_MAP_LOOKUP_ELEM, &attr);
	if (rc < 0)
		return nyk_error_set(err, rc, "kernel map lookup: %s", strerror(-rc));
	return 0;
}

int nyk_kernel_prog_test_run(int prog_fd, struct nyk_kernel_test_run *run, struct nyk_error *err)
{
	struct nyk_kernel_test_run r;
	union bpf_attr attr;
	int rc;

	memset(&r, 0, sizeof(r));
	memcpy(&r, run, run->size < sizeof(r) ? run->size : sizeof(r));
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = ptr_to_u64(r.data_in);
	attr.test.data_size_in = r.data_size_in;
	attr.test.data_out = ptr_to_u64(r.data_out);
	attr.test.data_size_out = r.data_out ? r.data_size_out : 0;
	attr.test.ctx_in = ptr_to_u64(r.ctx_in);
	attr.test.ctx_size_in = r.ctx_size_in;
	attr.test.ctx_out = ptr_to_u64(r.ctx_out);
	attr.test.ctx_size_out = r.ctx_out ? r.ctx_size_out : 0;
	attr.test.repeat = r.repeat;
	attr.test.flags = r.flags;
	rc = kernel_bpf(BPF_PROG_TEST_RUN, &attr);
	if (rc < 0)
		return nyk_error_set(err, rc, "kernel test run: %s", strerror(-rc));
	r.retval = attr.test.retval;
	r.duration = attr.test.duration;
	r.data_size_out = attr.test.data_size_out;
	r.ctx_size_out = attr.test.ctx_size_out;
	memcpy(run, &r, run->size < sizeof(r) ? run->size : sizeof(r));
	return 0;
}

/* ---- the verifier log ---- */

static int starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/*
 * Lines of the verifier's trace rather than of its verdict: instructions
 * and states ("12: (b7) r0 = 1", "12: R0=1"), source lines ("; x = 1"),
 * branch and call bookkeeping, precision tracking, indented continuations.
 */
static int is_trace_line(const char *s, size_t len)
{
	static const char *const prefixes[] = {
		"; ", "from ", "caller:", "callee:", "returning from callee:", "to caller at ", "frame", "mark_precise",
		"last_idx ", "parent ", "regs=", "Func#", "Live regs", "Validating ", "Global function", "func#",
		"propagating ", "processed ", "verification time", "stack depth",
	};
	size_t i = 0;

	if (len == 0)
		return 1;
	if (s[0] == ' ' || s[0] == '\t')
		return 1;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i < len && s[i] == ':')
		return 1;
	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++)
		if (starts_with(s, len, prefixes[p]))
			return 1;
	return 0;
}

const char *nyk_kernel_log_reason(const char *log, char *buf, size_t size)
{
	const char *end, *p, *found = NULL;
	size_t found_len = 0;

	if (!log || !buf || !size)
		return NULL;
	/* The verdict comes before the "processed N insns" statistics. */
	end = log;
	for (p = log; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (starts_with(p, len, "processed "))
			break;
		p += len + (nl ? 1 : 0);
		end = p;
	}
	/* Walk the lines before `end` backwards: the verdict is the block of
	   non-trace lines right after the last trace line; take its first. */
	p = end;
	while (p > log) {
		const char *line_end = p, *start;
		size_t len;

		if (line_end > log && line_end[-1] == '\n')
			line_end--;
		start = line_end;
		while (start > log && start[-1] != '\n')
			start--;
		len = (size_t)(line_end - start);
		p = start;
		while (len && (start[len - 1] == '\r' || start[len - 1] == ' '))
			len--;
		if (len == 0) {
			if (found)
				break;
			continue;
		}
		if (is_trace_line(start, len)) {
			if (found)
				break;
			continue;
		}
		found = start;
		found_len = len;
	}
	if (!found)
		return NULL;
	if (found_len >= size)
		found_len = size - 1;
	memcpy(buf, found, found_len);
	buf[found_len] = '\0';
	return buf;
}
