/*
 * test_helpers.c - the user-space helpers: printk formats, strings,
 * probe_read faults, checksums against known values, bpf_loop and the vm's
 * stop/call/fail hooks they rest on, and, through nyk_program_test_run,
 * the packet, map, ring buffer and spin lock helpers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nyuki/asm.h"
#include "nyuki/helpers.h"
#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/vm.h"
#include "test.h"
#include "test_rt.h"

/* ---- running text on a vm with the base helpers ---------------------------------------------- */

static uint64_t stop_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	nyk_exec_stop(x, 77);
	return 5;
}

static uint64_t fail_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, struct nyk_exec *x)
{
	return (uint64_t)(int64_t)nyk_exec_fail(x, -EPERM, "refused with %d", 3);
}

/* checked: 1 checked, 0 unchecked; 2 and 3: the same on the JIT. */
static int vrun(const char *text, void *mem, size_t len, int checked, uint64_t *r0, struct nyk_error *err)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_vm_opts opts = { .size = sizeof(opts) };
	struct nyk_insn *insns = NULL;
	size_t count;
	int rc;

	nyk_error_clear(err);
	opts.flags = (checked & 1 ? 0 : NYK_VM_UNCHECKED) | (checked & 2 ? NYK_VM_JIT : 0);
	nyk_vm_set_opts(vm, &opts);
	/* Every helper nyuki has (the base set and the type-specific ones that work without a run). */
	for (uint32_t id = 1; id < 256; id++)
		if (nyk_helper_fn_of(id))
			nyk_vm_register_helper(vm, id, nyk_helper_name(id), nyk_helper_fn_of(id), NULL);
	if ((rc = nyk_asm(text, strlen(text), "t.s", &insns, &count, err)) == 0 &&
	    (rc = nyk_helpers_register(vm, NULL, err)) == 0 &&
	    (rc = nyk_vm_register_helper(vm, 1000, "stop", stop_helper, err)) == 0 &&
	    (rc = nyk_vm_register_helper(vm, 1001, "fail", fail_helper, err)) == 0 &&
	    (rc = nyk_vm_load(vm, insns, count, err)) == 0)
		rc = nyk_vm_exec(vm, mem, len, r0, err);
	free(insns);
	nyk_vm_destroy(vm);
	return rc;
}

/* Run checked and unchecked, on the interpreter and the JIT (where there is one); all must agree. */
static int vrun2(const char *text, void *mem, size_t len, uint64_t *r0, struct nyk_error *err)
{
	uint8_t orig[512], copy[512];
	uint64_t r1;
	int rc;

	if (len > sizeof(copy))
		return -1000;
	memcpy(orig, mem, len);
	rc = vrun(text, mem, len, 1, r0, err);
	if (rc)
		return rc;
	for (int mode = 0; mode < 4; mode++) {
		if (mode == 1 || (mode >= 2 && !nyk_vm_jit_available()))
			continue;
		memcpy(copy, orig, len);
		if (vrun(text, copy, len, mode, &r1, err) || r1 != *r0 || memcmp(copy, mem, len)) {
			fprintf(stderr, "vrun2: mode %d differs: r0 0x%llx vs 0x%llx (%s)\n", mode,
				(unsigned long long)r1, (unsigned long long)*r0, err->message);
			return -1001;
		}
	}
	return 0;
}

/* ---- trace_printk and friends ------------------------------------------------------------------- */

static char captured[2048];
static size_t ncaptured, ncalls;

static void capture(void *user, const char *msg, size_t len)
{
	if (ncaptured + len < sizeof(captured)) {
		memcpy(captured + ncaptured, msg, len);
		ncaptured += len;
		captured[ncaptured] = '\0';
	}
	ncalls++;
}

/*
 * mem: [0, 64) the format, [64, 80) "hi", [128, 144) an address
 * 1.2.3.4 / 2001:db8::1, [192, 288) vprintk arguments, [320, 352) an output buffer.
 */
static void print_mem(uint8_t *mem, const char *fmt, size_t fmt_size)
{
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	memset(mem, 0, 512);
	memcpy(mem, fmt, fmt_size);
	memcpy(mem + 64, "hi", 3);
	memcpy(mem + 128, ip6, 16);
}

/* printk(fmt, a1, a2, a3): args are "m+N" (an address in mem) or numbers. */
static int printk(const char *fmt, size_t fmt_size, const char *a1, const char *a2, const char *a3, int64_t *ret)
{
	uint8_t mem[512];
	char text[512];
	const char *args[3] = { a1, a2, a3 };
	size_t t = 0;
	uint64_t r0;
	struct nyk_error err;
	int rc;

	print_mem(mem, fmt, fmt_size);
	t += (size_t)snprintf(text + t, sizeof(text) - t, "r6 = r1\n");
	for (int i = 0; i < 3; i++) {
		if (args[i] && args[i][0] == 'm')
			t += (size_t)snprintf(text + t, sizeof(text) - t, "r%d = r6\nr%d += %s\n", 3 + i, 3 + i, args[i] + 2);
		else
			t += (size_t)snprintf(text + t, sizeof(text) - t, "r%d = %s ll\n", 3 + i, args[i] ? args[i] : "0");
	}
	snprintf(text + t, sizeof(text) - t, "r1 = r6\nr2 = %zu\ncall 6\nexit\n", fmt_size);
	ncaptured = ncalls = 0;
	captured[0] = '\0';
	nyk_set_print_fn(capture, NULL);
	rc = vrun(text, mem, sizeof(mem), 1, &r0, &err);
	nyk_set_print_fn(NULL, NULL);
	*ret = (int64_t)r0;
	return rc;
}

#define PRINTK_OK(fmt, a1, a2, a3, want)                                                        \
	do {                                                                                    \
		int64_t r_;                                                                     \
		CHECK(printk(fmt, sizeof(fmt), a1, a2, a3, &r_) == 0);                          \
		CHECK_STR(captured, want);                                                      \
		CHECK_EQ(r_, strlen(want));                                                     \
		CHECK_EQ(ncalls, 1);                                                            \
	} while (0)

#define PRINTK_BAD(fmt, a1, a2, a3)                                                             \
	do {                                                                                    \
		int64_t r_;                                                                     \
		CHECK(printk(fmt, sizeof(fmt), a1, a2, a3, &r_) == 0);                          \
		CHECK_MSG(r_ == -EINVAL, "%s: %lld", fmt, (long long)r_);                       \
		CHECK_EQ(ncalls, 0);                                                            \
	} while (0)

TEST(helpers_printk_formats)
{
	PRINTK_OK("%d %u %x\n", "-5", "4294967295", "255", "-5 4294967295 ff\n");
	PRINTK_OK("%i %X %u", "0xfffffffffffffffb", "0xabc", "0x100000005", "-5 ABC 5");
	PRINTK_OK("%ld %lu %llx", "-5", "0x8000000000000000", "0x1122334455667788",
		  "-5 9223372036854775808 1122334455667788");
	PRINTK_OK("%lld|%lli|%llu", "-1", "-2", "18446744073709551615", "-1|-2|18446744073709551615");
	PRINTK_OK("%5d|%-5d|%05d", "42", "42", "42", "   42|42   |00042");
	PRINTK_OK("%+d % d %-3x|", "7", "7", "10", "+7  7 a  |");
	PRINTK_OK("%s=%c%%", "m+64", "90", NULL, "hi=Z%");
	PRINTK_OK("[%5s][%-4s]", "m+64", "m+64", NULL, "[   hi][hi  ]");
	PRINTK_OK("%pI4 %pi4", "m+128", "m+128", NULL, "32.1.13.184 032.001.013.184");
	PRINTK_OK("%pI6", "m+128", NULL, NULL, "2001:0db8:0000:0000:0000:0000:0000:0001");
	PRINTK_OK("%pi6", "m+128", NULL, NULL, "20010db8000000000000000000000001");
	PRINTK_OK("%p %px %pK", "0x1234", "0xffff888000000000", "1", "0000000000001234 ffff888000000000 0000000000000001");
	PRINTK_OK("%pks|%pus", "m+64", "m+64", NULL, "hi|hi");
	PRINTK_OK("no args\n", NULL, NULL, NULL, "no args\n");
	/* unreadable strings print as "" and addresses as zeros, as in the kernel */
	PRINTK_OK("<%s><%s>", "0", "0x1000", NULL, "<><>");
	PRINTK_OK("%pI4", "8", NULL, NULL, "0.0.0.0");

	PRINTK_BAD("%o", "1", NULL, NULL);
	PRINTK_BAD("%d %d %d %d", "1", "2", "3");
	PRINTK_BAD("%.2d", "1", NULL, NULL);
	PRINTK_BAD("%sx", "m+64", NULL, NULL);
	PRINTK_BAD("%hd", "1", NULL, NULL);
	PRINTK_BAD("%zu", "1", NULL, NULL);
	PRINTK_BAD("%n", "1", NULL, NULL);
	PRINTK_BAD("%lllx", "1", NULL, NULL);
	PRINTK_BAD("%pZ", "1", NULL, NULL);
	PRINTK_BAD("tab\x01", NULL, NULL, NULL);
	{
		int64_t r;
		/* no NUL within fmt_size */
		CHECK(printk("abcdef", 3, NULL, NULL, NULL, &r) == 0);
		CHECK_EQ(r, -EINVAL);
		CHECK_EQ(ncalls, 0);
	}
}

TEST(helpers_vprintk_and_snprintf)
{
	uint8_t mem[512];
	uint64_t r0, args[5] = { 1, 2, 3, 4, 5 };
	struct nyk_error err;

	/* trace_vprintk(fmt, size, data, data_len): five arguments */
	print_mem(mem, "%d %d %d %d %d", 15);
	memcpy(mem + 192, args, sizeof(args));
	nyk_set_print_fn(capture, NULL);
	ncaptured = ncalls = 0;
	CHECK(vrun("r6 = r1\nr3 = r1\nr3 += 192\nr2 = 15\nr4 = 40\ncall 177\nexit\n", mem, sizeof(mem), 1, &r0, &err) ==
	      0);
	CHECK_STR(captured, "1 2 3 4 5");
	CHECK_EQ(r0, 9);
	/* data_len not a multiple of 8 */
	CHECK(vrun("r6 = r1\nr3 = r1\nr3 += 192\nr2 = 15\nr4 = 36\ncall 177\nexit\n", mem, sizeof(mem), 1, &r0, &err) ==
	      0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	nyk_set_print_fn(NULL, NULL);

	/* snprintf(str, size, fmt, data, len): "7-hi" plus the NUL */
	print_mem(mem, "%d-%s", 6);
	args[0] = 7;
	args[1] = (uint64_t)(uintptr_t)(mem + 64);
	memcpy(mem + 192, args, 16);
	CHECK(vrun("r6 = r1\nr1 += 320\nr2 = 32\nr3 = r6\nr4 = r6\nr4 += 192\nr5 = 16\ncall 165\nexit\n", mem,
		   sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ(r0, 5);
	CHECK_STR((char *)mem + 320, "7-hi");
	/* too small: truncated, NUL-terminated, the size needed returned */
	memset(mem + 320, 'x', 8);
	CHECK(vrun("r6 = r1\nr1 += 320\nr2 = 3\nr3 = r6\nr4 = r6\nr4 += 192\nr5 = 16\ncall 165\nexit\n", mem, sizeof(mem),
		   1, &r0, &err) == 0);
	CHECK_EQ(r0, 5);
	CHECK(memcmp(mem + 320, "7-\0x", 4) == 0);
	/* an invalid format writes nothing */
	memcpy(mem, "%q", 3);
	memset(mem + 320, 'x', 8);
	CHECK(vrun("r6 = r1\nr1 += 320\nr2 = 8\nr3 = r6\nr4 = r6\nr4 += 192\nr5 = 16\ncall 165\nexit\n", mem, sizeof(mem),
		   1, &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	CHECK_EQ(mem[320], 'x');
	/* the output buffer must be writable */
	CHECK(vrun("r6 = r1\nr1 = 0x1000\nr2 = 8\nr3 = r6\nr4 = r6\nr4 += 192\nr5 = 16\ncall 165\nexit\n", mem,
		   sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -EFAULT);
}

TEST(helpers_print_to_a_file)
{
	FILE *f = tmpfile();
	uint8_t mem[512];
	char line[64] = "";
	uint64_t r0;
	struct nyk_error err;

	CHECK(f);
	print_mem(mem, "one", 4);
	nyk_set_print_file(f);
	CHECK(vrun("r2 = 4\ncall 6\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	nyk_set_print_file(NULL);
	rewind(f);
	CHECK(fgets(line, sizeof(line), f));
	fclose(f);
	CHECK_STR(line, "one\n");   /* one line per message */
}

/* ---- strings ---------------------------------------------------------------------------------- */

/* strtol or strtoul (id) of `s` (its first `len` bytes) with flags; *res is the result when rc > 0. */
static int64_t strto(int id, const char *s, size_t len, unsigned flags, int64_t *res)
{
	uint8_t mem[128] = { 0 };
	char text[256];
	uint64_t r0;
	struct nyk_error err;

	memcpy(mem, s, strlen(s));
	memset(mem + 64, 0xee, 8);
	snprintf(text, sizeof(text), "r4 = r1\nr4 += 64\nr2 = %zu\nr3 = %u\ncall %d\nexit\n", len, flags, id);
	if (vrun2(text, mem, sizeof(mem), &r0, &err))
		return -9999;
	memcpy(res, mem + 64, 8);
	return (int64_t)r0;
}

TEST(helpers_strtol_strtoul)
{
	static const struct {
		int id;
		const char *s;
		unsigned flags;
		int64_t rc, res;
	} cases[] = {
		{ 105, "  -0x1f rest", 0, 7, -31 },
		{ 105, "077", 0, 3, 63 },
		{ 105, "0", 0, 1, 0 },
		{ 105, "12abc", 10, 2, 12 },
		{ 105, "ff", 16, 2, 255 },
		{ 105, "0xff", 16, 4, 255 },
		{ 105, "0x", 16, -EINVAL, 0 },
		{ 105, "0xg", 0, 1, 0 },            /* base 0 sees "0" then 'x' that is no digit */
		{ 105, "-", 10, -EINVAL, 0 },
		{ 105, "abc", 10, -EINVAL, 0 },
		{ 105, "+5", 10, -EINVAL, 0 },      /* no '+' in the kernel's parse */
		{ 105, "9223372036854775807", 10, 19, INT64_MAX },
		{ 105, "9223372036854775808", 10, -ERANGE, 0 },
		{ 105, "-9223372036854775808", 10, 20, INT64_MIN },
		{ 105, "-9223372036854775809", 10, -ERANGE, 0 },
		{ 105, "99999999999999999999", 10, -ERANGE, 0 },
		{ 105, "12", 2, -EINVAL, 0 },       /* base 2 is not supported */
		{ 105, "12", 0x20 | 10, -EINVAL, 0 },
		{ 106, "18446744073709551615", 10, 20, -1 },
		{ 106, "-1", 10, -EINVAL, 0 },
		{ 106, "\t42\n", 0, 3, 42 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t res = 0, rc = strto(cases[i].id, cases[i].s, strlen(cases[i].s), cases[i].flags, &res);
		CHECK_MSG(rc == cases[i].rc, "case %zu (%s): rc %lld", i, cases[i].s, (long long)rc);
		if (rc > 0)
			CHECK_MSG(res == cases[i].res, "case %zu (%s): %lld", i, cases[i].s, (long long)res);
		else
			CHECK_MSG(res == (int64_t)0xeeeeeeeeeeeeeeeeull, "case %zu: result written on error", i);
	}
	{
		int64_t res;
		/* only buf_len bytes are looked at */
		CHECK_EQ(strto(105, "12345", 3, 10, &res), 3);
		CHECK_EQ(res, 123);
		CHECK_EQ(strto(105, "12345", 0, 10, &res), -EINVAL);
	}
}

TEST(helpers_strncmp)
{
	uint8_t mem[64] = "abc\0\0\0\0\0abd";   /* s1 at 0, s2 at 8 */
	uint64_t r0;
	struct nyk_error err;

	CHECK(vrun2("r3 = r1\nr3 += 8\nr2 = 3\ncall 182\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -1);
	CHECK(vrun2("r3 = r1\nr3 += 8\nr2 = 2\ncall 182\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 0);
	mem[2] = 'z';
	CHECK(vrun2("r3 = r1\nr3 += 8\nr2 = 8\ncall 182\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 1);
	memcpy(mem + 8, "abz", 4);
	CHECK(vrun2("r3 = r1\nr3 += 8\nr2 = 8\ncall 182\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 0);   /* equal up to the NUL */
}

/* ---- probe_read --------------------------------------------------------------------------------- */

static char host_secret[16] = "host memory";

/* probe_read-like helper `id` into mem[0..size) from `src`; returns r0; mem[0..16) prefilled with 0xff. */
static int64_t probe(int id, uint64_t src, unsigned size, int checked, uint8_t *mem)
{
	char text[256];
	uint64_t r0;
	struct nyk_error err;

	memset(mem, 0xff, 16);
	snprintf(text, sizeof(text), "r2 = %u\nr3 = 0x%llx ll\ncall %d\nexit\n", size, (unsigned long long)src, id);
	if (vrun(text, mem, 64, checked, &r0, &err))
		return -9999;
	return (int64_t)r0;
}

TEST(helpers_probe_read_faults)
{
	uint8_t mem[64];
	uint64_t inside = 0;
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *map;

	/* the run's own memory: both modes */
	memcpy(mem + 32, "in the run", 11);
	for (int checked = 0; checked < 2; checked++) {
		uint8_t m2[64];
		memcpy(m2, mem, sizeof(m2));
		inside = (uint64_t)(uintptr_t)(m2 + 32);
		CHECK_EQ(probe(113, inside, 8, checked, m2), 0);
		CHECK(memcmp(m2, "in the r", 8) == 0);
		CHECK_EQ(probe(115, inside, 16, checked, m2), 11);
		CHECK_STR((char *)m2, "in the run");
		CHECK_EQ(probe(115, inside, 4, checked, m2), 4);   /* truncated, NUL-terminated */
		CHECK_STR((char *)m2, "in ");
		/* NULL and an unmapped address: -EFAULT, the destination zeroed */
		CHECK_EQ(probe(113, 0, 8, checked, m2), -EFAULT);
		CHECK(!memcmp(m2, "\0\0\0\0\0\0\0\0\xff", 9));
		CHECK_EQ(probe(4, 8, 8, checked, m2), -EFAULT);
		CHECK_EQ(probe(115, 8, 8, checked, m2), -EFAULT);
		CHECK(!memcmp(m2, "\0\0\0\0\0\0\0\0\xff", 9));
		CHECK_EQ(probe(112, 0, 0, checked, m2), 0);   /* nothing to read */
	}
	/* host memory the run was not given: unreadable when checked, read fault-safely when unchecked */
	CHECK_EQ(probe(113, (uint64_t)(uintptr_t)host_secret, 8, 1, mem), -EFAULT);
	CHECK(!memcmp(mem, "\0\0\0\0\0\0\0\0", 8));
	CHECK_EQ(probe(113, (uint64_t)(uintptr_t)host_secret, 8, 0, mem), 0);
	CHECK(!memcmp(mem, "host mem", 8));
	CHECK_EQ(probe(114, (uint64_t)(uintptr_t)host_secret, 16, 0, mem), 12);
	/* a string running into an unmapped page: -EFAULT; one ending before it is read */
	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	CHECK(munmap(map + page, (size_t)page) == 0);
	memset(map + page - 4, 'a', 4);
	CHECK_EQ(probe(115, (uint64_t)(uintptr_t)(map + page - 4), 16, 0, mem), -EFAULT);
	CHECK(!memcmp(mem, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	CHECK_EQ(probe(113, (uint64_t)(uintptr_t)(map + page - 4), 8, 0, mem), -EFAULT);
	map[page - 1] = 0;
	CHECK_EQ(probe(115, (uint64_t)(uintptr_t)(map + page - 4), 16, 0, mem), 4);
	CHECK_STR((char *)mem, "aaa");
	munmap(map, (size_t)page);
}

/* ---- checksums ------------------------------------------------------------------------------------ */

/* RFC 1071's checksum of bytes, as the 16-bit value stored in the packet (network order in memory). */
static uint16_t rfc1071(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t fold(uint64_t wsum)
{
	uint32_t s = (uint32_t)wsum;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

TEST(helpers_csum_diff_known_values)
{
	/* The IPv4 header of examples/checksum.s: its checksum is 0xb1e6. */
	uint8_t mem[512] = { 0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06,
			     0x00, 0x00, 0xac, 0x10, 0x0a, 0x63, 0xac, 0x10, 0x0a, 0x0c };
	uint64_t r0;
	uint16_t c;
	uint8_t be[2];
	struct nyk_error err;

	CHECK(vrun2("r3 = r1\nr1 = 0\nr2 = 0\nr4 = 20\nr5 = 0\ncall 28\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	c = fold(r0);
	memcpy(be, &c, 2);
	CHECK_EQ(be[0], 0xb1);
	CHECK_EQ(be[1], 0xe6);
	CHECK_EQ(rfc1071(mem, 20, 0), 0xb1e6);
	/* diffing: from 4 bytes to 4 bytes with the old sum as seed gives the new sum */
	memcpy(mem + 100, mem + 12, 4);                /* old source address */
	memcpy(mem + 104, "\x0a\x00\x00\x01", 4);      /* new one */
	CHECK(vrun2("r6 = r1\nr3 = r1\nr1 = 0\nr2 = 0\nr4 = 20\nr5 = 0\ncall 28\nr5 = r0\n"
		    "r1 = r6\nr1 += 100\nr2 = 4\nr3 = r6\nr3 += 104\nr4 = 4\ncall 28\nexit\n",
		    mem, sizeof(mem), &r0, &err) == 0);
	memcpy(mem + 12, "\x0a\x00\x00\x01", 4);
	c = fold(r0);
	memcpy(be, &c, 2);
	CHECK_EQ((unsigned)be[0] << 8 | be[1], rfc1071(mem, 20, 0));
	/* sizes: multiples of 4, at most 512 together */
	CHECK(vrun2("r3 = r1\nr1 = 0\nr2 = 0\nr4 = 18\nr5 = 0\ncall 28\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	CHECK(vrun2("r3 = r1\nr2 = 4\nr4 = 512\nr5 = 0\ncall 28\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	/* the seed alone */
	CHECK(vrun2("r1 = 0\nr2 = 0\nr3 = 0\nr4 = 0\nr5 = 0x12345678\ncall 28\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 0x12345678);
}

/* ---- bpf_loop and the vm hooks --------------------------------------------------------------------- */

static const char *loop_text =
	"*(u64 *)(r10 - 8) = 0\n"
	"r1 = %d\n"
	"r2 = func[cb] ll\n"
	"r3 = r10\n"
	"r3 += -8\n"
	"r4 = %d\n"
	"call 181\n"
	"r7 = r0\n"
	"r0 = *(u64 *)(r10 - 8)\n"
	"r0 <<= 8\n"
	"r0 |= r7\n"
	"exit\n"
	"cb:\n"
	"r3 = *(u64 *)(r2 + 0)\n"
	"r3 += r1\n"
	"*(u64 *)(r2 + 0) = r3\n"
	"r0 = 0\n"
	"if r1 != %d goto out\n"
	"r0 = 1\n"
	"out:\n"
	"exit\n";

static int loop(int n, int flags, int stop_at, uint64_t *r0)
{
	char text[600];
	uint8_t mem[8];
	struct nyk_error err;

	snprintf(text, sizeof(text), loop_text, n, flags, stop_at);
	return vrun2(text, mem, sizeof(mem), r0, &err);
}

TEST(helpers_bpf_loop)
{
	uint64_t r0;
	struct nyk_error err;
	uint8_t mem[8];

	CHECK(loop(10, 0, -1, &r0) == 0);
	CHECK_EQ(r0, 45 << 8 | 10);         /* the callback added into the caller's stack */
	CHECK(loop(10, 0, 3, &r0) == 0);
	CHECK_EQ(r0, 6 << 8 | 4);           /* stopped after index 3 */
	CHECK(loop(0, 0, -1, &r0) == 0);
	CHECK_EQ(r0, 0);
	CHECK(loop(3, 1, -1, &r0) == 0);
	CHECK_EQ(r0 & 0xff, (uint8_t)-EINVAL);
	CHECK(loop((1 << 23) + 1, 0, -1, &r0) == 0);
	CHECK_EQ(r0 & 0xff, (uint8_t)-E2BIG);
	/* callbacks nest and count toward the 8 frames: endless nesting faults */
	CHECK_EQ(vrun("r1 = 1\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nexit\n"
		      "cb:\nr1 = 1\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nexit\n",
		      mem, sizeof(mem), 1, &r0, &err), -EFAULT);
	CHECK_MSG(strstr(err.message, "call depth"), "%s", err.message);
	/* seven nested frames are fine: main + 6 callbacks each one level deeper */
	CHECK(vrun("r1 = 1\nr2 = func[cb] ll\nr3 = 6\nr4 = 0\ncall 181\nexit\n"
		   "cb:\nif r2 == 0 goto leaf\nr3 = r2\nr3 += -1\nr1 = 1\nr2 = func[cb] ll\nr4 = 0\ncall 181\nr0 = 0\nexit\n"
		   "leaf:\nr0 = 0\nexit\n",
		   mem, sizeof(mem), 1, &r0, &err) == 0);
	/* a callback that is no function of the program */
	CHECK_EQ(vrun("r1 = 1\nr2 = 12345\nr3 = 0\nr4 = 0\ncall 181\nexit\n", mem, sizeof(mem), 1, &r0, &err), -EFAULT);
	CHECK_MSG(strstr(err.message, "not a function"), "%s", err.message);
	/* a fault inside the callback ends the run, placed at the faulting instruction */
	CHECK_EQ(vrun("r1 = 1\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nr0 = 5\nexit\ncb:\nr0 = *(u64 *)(r3 + 0)\nexit\n",
		      mem, sizeof(mem), 1, &r0, &err), -EFAULT);
	CHECK_EQ(err.insn, 8);
}

TEST(helpers_vm_stop_and_fail)
{
	uint64_t r0;
	uint8_t mem[8];
	struct nyk_error err;

	/* nyk_exec_stop: the run ends with its value, from the program and from a callback */
	CHECK(vrun2("r6 = 1\ncall 1000\nr0 = 1\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 77);
	CHECK(vrun2("r1 = 5\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nr0 = 1\nexit\ncb:\ncall 1000\nr0 = 0\nexit\n",
		    mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 77);
	/* nyk_exec_fail: the run fails with the helper's error, at the call */
	CHECK_EQ(vrun("r0 = 0\nr0 = 0\ncall 1001\nexit\n", mem, sizeof(mem), 1, &r0, &err), -EPERM);
	CHECK_STR(err.message, "refused with 3");
	CHECK_EQ(err.insn, 2);
	CHECK_EQ(vrun("r0 = 0\ncall 1001\nexit\n", mem, sizeof(mem), 0, &r0, &err), -EPERM);
	CHECK_EQ(err.insn, 1);
	CHECK_EQ(vrun("r1 = 1\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nexit\ncb:\ncall 1001\nexit\n", mem, sizeof(mem),
		      1, &r0, &err), -EPERM);
	CHECK_EQ(err.insn, 7);
	/* the JIT honours them too */
	if (nyk_vm_jit_available()) {
		for (int mode = 2; mode < 4; mode++) {
			CHECK(vrun("r6 = 1\ncall 1000\nr0 = 1\nexit\n", mem, sizeof(mem), mode, &r0, &err) == 0);
			CHECK_EQ(r0, 77);
			CHECK_EQ(vrun("r0 = 0\nr0 = 0\ncall 1001\nexit\n", mem, sizeof(mem), mode, &r0, &err), -EPERM);
			CHECK_STR(err.message, "refused with 3");
			CHECK_MSG(err.insn == 2, "JIT mode %d: insn %ld", mode, err.insn);
		}
	}
}

TEST(helpers_misc_values)
{
	uint64_t r0, a, b;
	uint8_t mem[32] = { 0 };
	struct nyk_error err;

	CHECK(vrun2("call 8\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 0);
	CHECK(vrun2("call 42\nexit\n", mem, sizeof(mem), &r0, &err) == 0);
	CHECK_EQ(r0, 0);
	CHECK(vrun("call 5\nr6 = r0\ncall 5\nr0 -= r6\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK(r0 < 1000000000ull);
	CHECK(vrun("call 125\nexit\n", mem, sizeof(mem), 1, &a, &err) == 0 && a > 0);
	CHECK(vrun("call 160\nexit\n", mem, sizeof(mem), 1, &a, &err) == 0 && a > 0);
	CHECK(vrun("call 118\nexit\n", mem, sizeof(mem), 1, &a, &err) == 0 && a > 0);
	CHECK(vrun("call 7\nexit\n", mem, sizeof(mem), 1, &a, &err) == 0);
	CHECK(vrun("call 7\nexit\n", mem, sizeof(mem), 1, &b, &err) == 0);
	CHECK(a <= UINT32_MAX && b <= UINT32_MAX && a != b);
	CHECK(vrun("call 14\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ(r0 >> 32, (uint64_t)getpid());
	CHECK(vrun("call 15\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ((uint32_t)r0, (uint32_t)getuid());
	CHECK_EQ(r0 >> 32, (uint64_t)getgid());
	memset(mem, 0xff, sizeof(mem));
	CHECK(vrun("r2 = 16\ncall 16\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ(r0, 0);
	CHECK(memchr(mem, 0, 16) && mem[15] == 0 && mem[16] == 0xff);
	/* map helpers without a run know no maps in checked mode */
	CHECK(vrun("r1 = 0x1234\nr2 = r10\nr2 += -8\ncall 1\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ(r0, 0);
	CHECK(vrun("r1 = 0x1234\nr2 = r10\nr3 = r10\nr4 = 0\ncall 2\nexit\n", mem, sizeof(mem), 1, &r0, &err) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	CHECK(!nyk_helper_available(35));
	CHECK(nyk_helper_available(181) && nyk_helper_fn_of(181));
}

/* ---- packet helpers through test runs ------------------------------------------------------------- */

/* Ethernet + IPv4 (checksum right) + UDP (checksum right) + 4 bytes of payload. */
static size_t udp_frame(uint8_t *p)
{
	static const uint8_t f[] = {
		0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0x02,
		0x30, 0x39, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'p', 'i', 'n', 'g',
	};
	uint32_t sum;
	uint16_t c;

	memcpy(p, f, sizeof(f));
	c = rfc1071(p + 14, 20, 0);
	p[24] = (uint8_t)(c >> 8);
	p[25] = (uint8_t)c;
	/* UDP over the pseudo-header */
	sum = ((uint32_t)p[26] << 8 | p[27]) + ((uint32_t)p[28] << 8 | p[29]) + ((uint32_t)p[30] << 8 | p[31]) +
	      ((uint32_t)p[32] << 8 | p[33]) + 17 + 12;
	c = rfc1071(p + 34, 12, sum);
	p[40] = (uint8_t)(c >> 8);
	p[41] = (uint8_t)c;
	return sizeof(f);
}

static int ip_ok(const uint8_t *p)
{
	return rfc1071(p + 14, 20, 0) == 0;
}

static int udp_ok(const uint8_t *p)
{
	uint32_t sum = ((uint32_t)p[26] << 8 | p[27]) + ((uint32_t)p[28] << 8 | p[29]) +
		       ((uint32_t)p[30] << 8 | p[31]) + ((uint32_t)p[32] << 8 | p[33]) + 17 + 12;
	return rfc1071(p + 34, 12, sum) == 0;
}

/* Rewrite the source address to 10.0.0.1 with skb_store_bytes and fix both checksums. */
static const char *nat_text =
	"r6 = r1\n"
	"r2 = *(u32 *)(r6 + 76)\n"
	"r3 = *(u32 *)(r6 + 80)\n"
	"r4 = r2\n"
	"r4 += 46\n"
	"if r4 > r3 goto out\n"
	"r7 = *(u32 *)(r2 + 26)\n"
	"*(u32 *)(r10 - 4) = 0x0100000a\n"          /* 10.0.0.1 in memory order */
	"r8 = *(u32 *)(r10 - 4)\n"
	"r1 = r6\nr2 = 24\nr3 = r7\nr4 = r8\nr5 = 4\ncall 10\n"
	"if r0 != 0 goto fail\n"
	"r1 = r6\nr2 = 40\nr3 = r7\nr4 = r8\nr5 = %d\ncall 11\n"
	"if r0 != 0 goto fail\n"
	"r1 = r6\nr2 = 26\nr3 = r10\nr3 += -4\nr4 = 4\nr5 = 0\ncall 9\n"
	"if r0 != 0 goto fail\n"
	"out:\n"
	"r0 = 0\n"
	"exit\n"
	"fail:\n"
	"exit\n";

static int nat(int l4flags, uint8_t *frame, size_t n, uint64_t *r0)
{
	char text[1024];
	struct nyk_object *obj;
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	uint8_t out[128];
	int rc;

	snprintf(text, sizeof(text), nat_text, l4flags);
	obj = tobj_load_asm("tc", text);
	if (!obj)
		return -1000;
	run.data_in = frame;
	run.data_size_in = n;
	run.data_out = out;
	run.data_size_out = sizeof(out);
	nyk_error_clear(&err);
	rc = nyk_program_test_run(nyk_object_program(obj, 0), &run, &err);
	nyk_object_close(obj);
	if (rc)
		return rc;
	memcpy(frame, out, n);
	*r0 = run.retval;
	return 0;
}

TEST(helpers_l3_l4_csum_replace)
{
	uint8_t f[128];
	size_t n = udp_frame(f);
	uint64_t r0;

	CHECK(ip_ok(f) && udp_ok(f));
	CHECK(nat(0x10 | 4, f, n, &r0) == 0);   /* BPF_F_PSEUDO_HDR | 4 */
	CHECK_EQ(r0, 0);
	CHECK(f[26] == 10 && f[29] == 1);
	CHECK(ip_ok(f));
	CHECK(udp_ok(f));
	/* UDP without a checksum stays without one with BPF_F_MARK_MANGLED_0 */
	n = udp_frame(f);
	f[40] = f[41] = 0;
	CHECK(nat(0x20 | 0x10 | 4, f, n, &r0) == 0);
	CHECK_EQ(r0, 0);
	CHECK(ip_ok(f) && f[40] == 0 && f[41] == 0);
	/* bad flags and a size of 3 */
	n = udp_frame(f);
	CHECK(nat(0x100 | 4, f, n, &r0) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
	CHECK(nat(3, f, n, &r0) == 0);
	CHECK_EQ((int64_t)r0, -EINVAL);
}

TEST(helpers_skb_and_xdp_bytes)
{
	/* skb_load_bytes: 4 bytes at 42 (the payload), then past the end: -EFAULT and zeroed */
	static const char *text =
		"r6 = r1\n"
		"r2 = 42\nr3 = r10\nr3 += -8\nr4 = 4\ncall 26\n"
		"r7 = *(u32 *)(r10 - 8)\n"
		"*(u64 *)(r10 - 16) = -1\n"
		"r1 = r6\nr2 = 44\nr3 = r10\nr3 += -16\nr4 = 4\ncall 26\n"
		"r8 = *(u64 *)(r10 - 16)\n"
		"r1 = r6\nr2 = 0\nr3 = r10\nr3 += -24\nr4 = 6\nr5 = 0\ncall 68\n"        /* from the MAC header */
		"r9 = *(u8 *)(r10 - 19)\n"
		"r0 <<= 8\n"
		"r0 |= r9\n"
		"r0 <<= 32\n"
		"r0 |= r7\n"
		"exit\n";
	uint8_t f[128], in[4] = { 'p', 'i', 'n', 'g' };
	size_t n = udp_frame(f);
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;
	uint32_t ping;

	memcpy(&ping, in, 4);
	run.data_in = f;
	run.data_size_in = n;
	nyk_error_clear(&err);
	{
		struct nyk_object *obj = tobj_load_asm("tc", text);
		CHECK(obj);
		CHECK_MSG(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0, "%s", err.message);
		nyk_object_close(obj);
	}
	CHECK_EQ((uint32_t)run.retval, ping);
	CHECK_EQ(run.retval >> 32, 0);     /* load_bytes_relative returned 0, MAC byte 5 is 0 */
	/* the same from the network header of a socket filter */
	{
		static const char *sk =
			"r6 = r1\n"
			"r2 = 28\nr3 = r10\nr3 += -8\nr4 = 4\ncall 26\n"   /* UDP payload from the IP header */
			"r0 = *(u32 *)(r10 - 8)\n"
			"exit\n";
		struct nyk_object *obj = tobj_load_asm("socket", sk);
		CHECK(obj);
		CHECK(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0);
		CHECK_EQ((uint32_t)run.retval, ping);
		nyk_object_close(obj);
	}
	/* xdp_load_bytes / xdp_store_bytes */
	{
		static const char *x =
			"r6 = r1\n"
			"r2 = 42\nr3 = r10\nr3 += -8\nr4 = 4\ncall 189\n"
			"r1 = r6\nr2 = 0\nr3 = r10\nr3 += -8\nr4 = 4\ncall 190\n"
			"r1 = r6\nr2 = 44\nr3 = r10\nr3 += -8\nr4 = 4\ncall 189\n"   /* past the end */
			"r7 = r0\n"
			"r1 = r6\ncall 188\n"
			"r7 <<= 32\n"
			"r0 |= r7\n"
			"exit\n";
		uint8_t out[128];
		struct nyk_object *obj = tobj_load_asm("xdp", x);
		CHECK(obj);
		run.data_out = out;
		run.data_size_out = sizeof(out);
		CHECK(nyk_program_test_run(nyk_object_program(obj, 0), &run, &err) == 0);
		nyk_object_close(obj);
		CHECK_EQ((uint32_t)run.retval, n);
		CHECK_EQ((int32_t)(run.retval >> 32), -EINVAL);
		CHECK(memcmp(out, "ping", 4) == 0);
	}
}

TEST(helpers_redirect_verdicts)
{
	uint8_t f[128];
	size_t n = udp_frame(f);
	struct nyk_test_run run = { .size = sizeof(run) };
	struct nyk_error err;

	run.data_in = f;
	run.data_size_in = n;
	nyk_error_clear(&err);
	CHECK(tobj_run1("xdp", (struct nyk_insn[]){ T_MOV_K(1, 3), T_MOV_K(2, 0), T_CALL(23), T_EXIT }, 4, &run, &err) ==
	      0);
	CHECK_EQ(run.retval, 4);   /* XDP_REDIRECT */
	CHECK(tobj_run1("xdp", (struct nyk_insn[]){ T_MOV_K(1, 3), T_MOV_K(2, 1), T_CALL(23), T_EXIT }, 4, &run, &err) ==
	      0);
	CHECK_EQ(run.retval, 0);   /* XDP_ABORTED */
	CHECK(tobj_run1("tc", (struct nyk_insn[]){ T_MOV_K(1, 3), T_MOV_K(2, 1), T_CALL(23), T_EXIT }, 4, &run, &err) ==
	      0);
	CHECK_EQ(run.retval, 7);   /* TC_ACT_REDIRECT, BPF_F_INGRESS */
	CHECK(tobj_run1("tc", (struct nyk_insn[]){ T_MOV_K(1, 3), T_MOV_K(2, 2), T_CALL(23), T_EXIT }, 4, &run, &err) ==
	      0);
	CHECK_EQ(run.retval, 2);   /* TC_ACT_SHOT */
}

/* ---- maps, ring buffers, locks through test runs ---------------------------------------------------- */

static struct nyk_object *map_object(const char *text, struct tobj_map m0, struct tobj_map m1)
{
	struct tobj o;

	memset(&o, 0, sizeof(o));
	o.progs[0] = (struct tobj_prog){ "xdp", "prog", text, NULL, 0 };
	o.nprogs = 1;
	o.maps[0] = m0;
	o.maps[1] = m1;
	o.nmaps = m1.name ? 2 : 1;
	return tobj_load(&o);
}

static int xdp_run(struct nyk_object *obj, uint64_t *r0, struct nyk_error *err)
{
	uint8_t f[128];
	size_t n = udp_frame(f);
	struct nyk_test_run run = { .size = sizeof(run) };
	int rc;

	run.data_in = f;
	run.data_size_in = n;
	nyk_error_clear(err);
	rc = nyk_program_test_run(nyk_object_program(obj, 0), &run, err);
	*r0 = run.retval;
	return rc;
}

struct records {
	size_t n;
	size_t sizes[8];
	uint64_t first[8];
};

static int record(void *ctx, const void *data, size_t size)
{
	struct records *r = ctx;
	if (r->n < 8) {
		r->sizes[r->n] = size;
		r->first[r->n] = 0;
		memcpy(&r->first[r->n], data, size < 8 ? size : 8);
		r->n++;
	}
	return 0;
}

TEST(helpers_ringbuf)
{
	/* reserve 8 and submit, reserve 16 and discard, output 4, reserve and forget; then query */
	static const char *text =
		"r1 = 0x5eed0000 ll\nr2 = 8\nr3 = 0\ncall 131\n"
		"if r0 == 0 goto out\n"
		"*(u64 *)(r0 + 0) = 0x1122\n"
		"r1 = r0\nr2 = 0\ncall 132\n"
		"r1 = 0x5eed0000 ll\nr2 = 16\nr3 = 0\ncall 131\n"
		"if r0 == 0 goto out\n"
		"r1 = r0\nr2 = 0\ncall 133\n"
		"*(u32 *)(r10 - 4) = 0x33\n"
		"r1 = 0x5eed0000 ll\nr2 = r10\nr2 += -4\nr3 = 4\nr4 = 0\ncall 130\n"
		"r6 = r0\n"
		"r1 = 0x5eed0000 ll\nr2 = 8\nr3 = 0\ncall 131\n"
		"r1 = 0x5eed0000 ll\nr2 = 0\ncall 134\n"
		"r0 <<= 8\n"
		"r0 |= r6\n"
		"exit\n"
		"out:\n"
		"r0 = -1\n"
		"exit\n";
	struct nyk_object *obj = map_object(text, (struct tobj_map){ "rb", 27, 0, 0, 4096, 0 }, (struct tobj_map){ 0 });
	struct records r = { 0 };
	struct nyk_error err;
	uint64_t r0;

	CHECK(obj);
	CHECK_MSG(xdp_run(obj, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0 & 0xff, 0);    /* ringbuf_output */
	CHECK(r0 >> 8 > 0);        /* data available */
	CHECK_EQ(nyk_ringbuf_consume(nyk_object_find_map(obj, "rb"), record, &r), 2);
	CHECK_EQ(r.n, 2);
	CHECK_EQ(r.sizes[0], 8);
	CHECK_EQ(r.first[0], 0x1122);
	CHECK_EQ(r.sizes[1], 4);
	CHECK_EQ(r.first[1], 0x33);
	/* the forgotten reservation was discarded at the end of the run: the ring is not stuck */
	CHECK(xdp_run(obj, &r0, &err) == 0);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(nyk_ringbuf_consume(nyk_object_find_map(obj, "rb"), record, &r), 2);
	nyk_object_close(obj);
}

TEST(helpers_for_each_map_elem)
{
	/* sum of keys << 16 + sum of values, and the count; the callback stops at key 3 when asked */
	static const char *text =
		"*(u64 *)(r10 - 8) = 0\n"
		"r1 = 0x5eed0000 ll\n"
		"r2 = func[cb] ll\n"
		"r3 = r10\n"
		"r3 += -8\n"
		"r4 = 0\n"
		"call 164\n"
		"r6 = *(u64 *)(r10 - 8)\n"
		"r6 <<= 8\n"
		"r0 |= r6\n"
		"exit\n"
		"cb:\n"
		"r6 = *(u32 *)(r2 + 0)\n"
		"r6 <<= 16\n"
		"r7 = *(u64 *)(r3 + 0)\n"
		"r6 += r7\n"
		"r7 = *(u64 *)(r4 + 0)\n"
		"r7 += r6\n"
		"*(u64 *)(r4 + 0) = r7\n"
		"r0 = 0\n"
		"exit\n";
	struct nyk_object *obj = map_object(text, (struct tobj_map){ "arr", 2, 4, 8, 4, 0 }, (struct tobj_map){ 0 });
	struct nyk_map *arr;
	struct nyk_error err;
	uint64_t r0;

	CHECK(obj);
	arr = nyk_object_find_map(obj, "arr");
	for (uint32_t k = 0; k < 4; k++) {
		uint64_t v = k + 1;
		CHECK(nyk_map_update(arr, &k, &v, 0) == 0);
	}
	CHECK_MSG(xdp_run(obj, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0 & 0xff, 4);
	CHECK_EQ(r0 >> 8, (0 + 1 + 2 + 3) << 16 | (1 + 2 + 3 + 4));
	nyk_object_close(obj);
}

TEST(helpers_queue_and_spin_lock)
{
	/* push 5, 6; pop -> 5; peek -> 6; then lock/increment/unlock a counter in an array value */
	static const char *text =
		"*(u32 *)(r10 - 4) = 5\n"
		"r1 = 0x5eed0000 ll\nr2 = r10\nr2 += -4\nr3 = 0\ncall 87\n"
		"*(u32 *)(r10 - 4) = 6\n"
		"r1 = 0x5eed0000 ll\nr2 = r10\nr2 += -4\nr3 = 0\ncall 87\n"
		"r1 = 0x5eed0000 ll\nr2 = r10\nr2 += -8\ncall 88\n"
		"r6 = *(u32 *)(r10 - 8)\n"
		"r1 = 0x5eed0000 ll\nr2 = r10\nr2 += -8\ncall 89\n"
		"r7 = *(u32 *)(r10 - 8)\n"
		"*(u32 *)(r10 - 12) = 0\n"
		"r1 = 0x5eed0001 ll\nr2 = r10\nr2 += -12\ncall 1\n"
		"if r0 == 0 goto out\n"
		"r8 = r0\n"
		"r1 = r8\ncall 93\n"
		"r2 = *(u32 *)(r8 + 4)\n"
		"r2 += 1\n"
		"*(u32 *)(r8 + 4) = r2\n"
		"r1 = r8\ncall 94\n"
		"r1 = r8\ncall 93\n"             /* left locked: the run releases it */
		"r0 = r6\n"
		"r7 <<= 8\n"
		"r0 |= r7\n"
		"exit\n"
		"out:\n"
		"r0 = -1\n"
		"exit\n";
	struct nyk_object *obj = map_object(text, (struct tobj_map){ "q", 22, 0, 4, 8, 0 },
					    (struct tobj_map){ "locked", 2, 4, 8, 1, 0 });
	struct nyk_error err;
	uint64_t r0, v;
	uint32_t k = 0;

	CHECK(obj);
	CHECK_MSG(xdp_run(obj, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0, 5 | 6 << 8);
	CHECK(xdp_run(obj, &r0, &err) == 0);   /* does not hang on the lock left held */
	CHECK_EQ(r0, 6 | 5 << 8);              /* the queue holds 6, 5, 6 now */
	CHECK(nyk_map_lookup(nyk_object_find_map(obj, "locked"), &k, &v) == 0);
	CHECK_EQ(v >> 32, 2);
	nyk_object_close(obj);
}

TEST(helpers_perf_event_output)
{
	/* 4 bytes of data plus 14 bytes of the packet (BPF_F_CTXLEN_MASK) on the current CPU */
	static const char *text =
		"r6 = r1\n"
		"*(u32 *)(r10 - 4) = 0xabcd\n"
		"r1 = r6\n"
		"r2 = 0x5eed0000 ll\n"
		"r3 = 0xeffffffff ll\n"          /* 14 << 32 | BPF_F_CURRENT_CPU */
		"r4 = r10\nr4 += -4\nr5 = 4\n"
		"call 25\n"
		"exit\n";
	struct nyk_object *obj = map_object(text, (struct tobj_map){ "events", 4, 4, 4, 1, 0 }, (struct tobj_map){ 0 });
	struct nyk_error err;
	uint64_t r0;

	CHECK(obj);
	CHECK_MSG(xdp_run(obj, &r0, &err) == 0, "%s", err.message);
	CHECK_EQ(r0, 0);
	nyk_object_close(obj);
}
