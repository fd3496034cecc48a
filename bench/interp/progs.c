/*
 * progs.c - the benchmark programs in eBPF, built with a few macros that
 * emit instructions and patch jumps to labels (no assembler needed), and
 * their inputs. Each has a twin in native.c doing the same work.
 */
#include <string.h>

#include "bench.h"

static void emit(struct pb *b, uint8_t op, unsigned dst, unsigned src, int off, int32_t imm)
{
	if (b->n >= sizeof(b->insn) / sizeof(b->insn[0])) {
		b->failed = 1;
		return;
	}
	b->insn[b->n].opcode = op;
	b->insn[b->n].regs = nyk_insn_regs(dst, src);
	b->insn[b->n].off = (int16_t)off;
	b->insn[b->n].imm = imm;
	b->n++;
}

static void jump(struct pb *b, uint8_t op, unsigned dst, unsigned src, int32_t imm, int label, int is_call)
{
	if (b->nfix >= sizeof(b->fix) / sizeof(b->fix[0])) {
		b->failed = 1;
		return;
	}
	b->fix[b->nfix].at = b->n;
	b->fix[b->nfix].label = label;
	b->fix[b->nfix].is_call = is_call;
	b->nfix++;
	emit(b, op, dst, src, 0, imm);
}

static void lddw(struct pb *b, unsigned dst, uint64_t v)
{
	emit(b, 0x18, dst, 0, 0, (int32_t)(uint32_t)v);
	emit(b, 0x00, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

int pb_finish(struct pb *b)
{
	for (size_t i = 0; i < b->nfix; i++) {
		long target = b->label[b->fix[i].label];
		long rel = target - (long)b->fix[i].at - 1;
		if (target < 0)
			return -1;
		if (b->fix[i].is_call)
			b->insn[b->fix[i].at].imm = (int32_t)rel;
		else
			b->insn[b->fix[i].at].off = (int16_t)rel;
	}
	return b->failed ? -1 : 0;
}

/* Register r, immediate k, label l. */
#define LABEL(l) (b->label[l] = (long)b->n)
#define MOVK(d, k) emit(b, 0xb7, d, 0, 0, k)
#define MOVX(d, s) emit(b, 0xbf, d, s, 0, 0)
#define ADDK(d, k) emit(b, 0x07, d, 0, 0, k)
#define ADDX(d, s) emit(b, 0x0f, d, s, 0, 0)
#define SUBK(d, k) emit(b, 0x17, d, 0, 0, k)
#define SUBX(d, s) emit(b, 0x1f, d, s, 0, 0)
#define MULK(d, k) emit(b, 0x27, d, 0, 0, k)
#define MULX(d, s) emit(b, 0x2f, d, s, 0, 0)
#define ORX(d, s) emit(b, 0x4f, d, s, 0, 0)
#define ANDK(d, k) emit(b, 0x57, d, 0, 0, k)
#define ANDX(d, s) emit(b, 0x5f, d, s, 0, 0)
#define LSHK(d, k) emit(b, 0x67, d, 0, 0, k)
#define RSHK(d, k) emit(b, 0x77, d, 0, 0, k)
#define XORK(d, k) emit(b, 0xa7, d, 0, 0, k)
#define XORX(d, s) emit(b, 0xaf, d, s, 0, 0)
#define BE16(d) emit(b, 0xdc, d, 0, 0, 16)
#define BSWAP32(d) emit(b, 0xd7, d, 0, 0, 32)
#define BSWAP64(d) emit(b, 0xd7, d, 0, 0, 64)
#define LDXB(d, s, o) emit(b, 0x71, d, s, o, 0)
#define LDXH(d, s, o) emit(b, 0x69, d, s, o, 0)
#define LDXW(d, s, o) emit(b, 0x61, d, s, o, 0)
#define LDXDW(d, s, o) emit(b, 0x79, d, s, o, 0)
#define STB(d, o, k) emit(b, 0x72, d, 0, o, k)
#define STDW(d, o, k) emit(b, 0x7a, d, 0, o, k)
#define STXW(d, s, o) emit(b, 0x63, d, s, o, 0)
#define STXDW(d, s, o) emit(b, 0x7b, d, s, o, 0)
#define JA(l) jump(b, 0x05, 0, 0, 0, l, 0)
#define JEQK(d, k, l) jump(b, 0x15, d, 0, k, l, 0)
#define JNEK(d, k, l) jump(b, 0x55, d, 0, k, l, 0)
#define JSETK(d, k, l) jump(b, 0x45, d, 0, k, l, 0)
#define JGEX(d, s, l) jump(b, 0x3d, d, s, 0, l, 0)
#define JLTX(d, s, l) jump(b, 0xad, d, s, 0, l, 0)
#define JLEX(d, s, l) jump(b, 0xbd, d, s, 0, l, 0)
#define CALLL(l) jump(b, 0x85, 0, 1, 0, l, 1)
#define EXIT() emit(b, 0x95, 0, 0, 0, 0)

/* ---- inputs -------------------------------------------------------------- */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s;
}

static void init_random(uint8_t *mem, size_t len)
{
	uint32_t s = 12345;
	for (size_t i = 0; i < len; i++)
		mem[i] = (uint8_t)(lcg(&s) >> 24);
}

static void put32(uint8_t *mem, uint32_t v)
{
	memcpy(mem, &v, 4);
}

/* The loop count n of a program, in its first word. */
static void init_n64(uint8_t *mem, size_t len) { (void)len; put32(mem, 64); }
static void init_n1000(uint8_t *mem, size_t len) { (void)len; put32(mem, 1000); }
static void init_n300(uint8_t *mem, size_t len) { (void)len; put32(mem, 300); }
static void init_n200(uint8_t *mem, size_t len) { (void)len; put32(mem, 200); }
static void init_zero(uint8_t *mem, size_t len) { memset(mem, 0, len); }

static void init_descending(uint8_t *mem, size_t len)
{
	uint32_t s = 777;
	for (size_t i = 0; i < len / 4; i++)
		put32(mem + 4 * i, (uint32_t)(len - i) * 1000 + (lcg(&s) >> 22));
}

/* ---- programs ------------------------------------------------------------ */

/* Sum of the 32-bit words of mem. */
static void build_sum(struct pb *b)
{
	MOVK(0, 0); MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	LDXW(5, 3, 0); ADDX(0, 5); ADDK(3, 4); JLTX(3, 4, 0);
	EXIT();
}

/* acc += (i * j) ^ (acc >> 3) for i, j < n. */
static void build_nested(struct pb *b)
{
	LDXW(7, 1, 0); MOVK(0, 0); MOVK(3, 0);
	LABEL(0);
	MOVK(4, 0);
	LABEL(1);
	MOVX(5, 3); MULX(5, 4); MOVX(6, 0); RSHK(6, 3); XORX(5, 6); ADDX(0, 5);
	ADDK(4, 1); JLTX(4, 7, 1);
	ADDK(3, 1); JLTX(3, 7, 0);
	EXIT();
}

/* fib(n) modulo 2^64, iteratively. */
static void build_fib(struct pb *b)
{
	LDXW(3, 1, 0); MOVK(4, 0); MOVK(0, 1);
	LABEL(0);
	MOVX(5, 4); ADDX(5, 0); MOVX(4, 0); MOVX(0, 5); SUBK(3, 1); JNEK(3, 0, 0);
	MOVX(0, 4);
	EXIT();
}

/* Bubble sort of the 32-bit words of mem; returns last << 32 | first. */
static void build_bubble(struct pb *b)
{
	MOVX(6, 2); RSHK(6, 2); SUBK(6, 1);
	LABEL(0);
	MOVX(3, 1); MOVK(7, 0);
	LABEL(1);
	LDXW(4, 3, 0); LDXW(5, 3, 4); JLEX(4, 5, 2); STXW(3, 5, 0); STXW(3, 4, 4);
	LABEL(2);
	ADDK(3, 4); ADDK(7, 1); JLTX(7, 6, 1);
	SUBK(6, 1); JNEK(6, 0, 0);
	LDXW(0, 1, 0); MOVX(3, 1); ADDX(3, 2); LDXW(3, 3, -4); LSHK(3, 32); ORX(0, 3);
	EXIT();
}

/* Internet checksum (RFC 1071) of mem. */
static void build_checksum(struct pb *b)
{
	MOVK(0, 0); MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	LDXH(5, 3, 0); BE16(5); ADDX(0, 5); ADDK(3, 2); JLTX(3, 4, 0);
	LABEL(1);
	MOVX(5, 0); RSHK(5, 16); JEQK(5, 0, 2); ANDK(0, 0xffff); ADDX(0, 5); JA(1);
	LABEL(2);
	XORK(0, 0xffff);
	EXIT();
}

/* FNV-1a 64-bit hash of mem. */
static void build_fnv1a(struct pb *b)
{
	lddw(b, 0, 0xcbf29ce484222325u); lddw(b, 6, 0x100000001b3u); MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	LDXB(5, 3, 0); XORX(0, 5); MULX(0, 6); ADDK(3, 1); JLTX(3, 4, 0);
	EXIT();
}

/* Total of the population counts of the 64-bit words of mem (SWAR). */
static void build_popcount(struct pb *b)
{
	lddw(b, 6, 0x5555555555555555u); lddw(b, 7, 0x3333333333333333u);
	lddw(b, 8, 0x0f0f0f0f0f0f0f0fu); lddw(b, 9, 0x0101010101010101u);
	MOVK(0, 0); MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	LDXDW(5, 3, 0);
	MOVX(2, 5); RSHK(2, 1); ANDX(2, 6); SUBX(5, 2);
	MOVX(2, 5); RSHK(2, 2); ANDX(2, 7); ANDX(5, 7); ADDX(5, 2);
	MOVX(2, 5); RSHK(2, 4); ADDX(5, 2); ANDX(5, 8);
	MULX(5, 9); RSHK(5, 56); ADDX(0, 5);
	ADDK(3, 8); JLTX(3, 4, 0);
	EXIT();
}

/* acc = rotl(acc + bswap64(v) ^ bswap32(v), 1) over the 64-bit words of mem. */
static void build_bswap(struct pb *b)
{
	MOVK(0, 0); MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	LDXDW(5, 3, 0); MOVX(6, 5); BSWAP64(5); ADDX(0, 5); BSWAP32(6); XORX(0, 6);
	MOVX(7, 0); RSHK(7, 63); LSHK(0, 1); ORX(0, 7);
	ADDK(3, 8); JLTX(3, 4, 0);
	EXIT();
}

/* Total Collatz steps of the seeds 1..n. */
static void build_collatz(struct pb *b)
{
	MOVK(0, 0); MOVK(6, 1); LDXW(7, 1, 0);
	LABEL(0);
	MOVX(3, 6);
	LABEL(1);
	JEQK(3, 1, 3); JSETK(3, 1, 2); RSHK(3, 1); ADDK(0, 1); JA(1);
	LABEL(2);
	MULK(3, 3); ADDK(3, 1); ADDK(0, 1); JA(1);
	LABEL(3);
	ADDK(6, 1); JLEX(6, 7, 0);
	EXIT();
}

/* acc += f(i) for i < n, with f(x) = g(x) + 1, g(x) = h(x) * 3, h(x) = x ^ 0x55: three bpf-to-bpf calls. */
static void build_calls(struct pb *b)
{
	LDXW(7, 1, 0); MOVK(6, 0); MOVK(8, 0);
	LABEL(0);
	MOVX(1, 6); CALLL(1); ADDX(8, 0); ADDK(6, 1); JLTX(6, 7, 0);
	MOVX(0, 8); EXIT();
	LABEL(1);  /* f */
	CALLL(2); ADDK(0, 1); EXIT();
	LABEL(2);  /* g */
	CALLL(3); MULK(0, 3); EXIT();
	LABEL(3);  /* h */
	MOVX(0, 1); XORK(0, 0x55); EXIT();
}

/* Copy the first half of mem to the second, 8 bytes at a time. */
static void build_memcpy(struct pb *b)
{
	MOVX(3, 1); MOVX(5, 1); ADDK(5, 2048);
	LABEL(0);
	LDXDW(0, 3, 0); STXDW(3, 0, 2048); ADDK(3, 8); JLTX(3, 5, 0);
	LDXDW(0, 1, 4088);
	EXIT();
}

/* Number of primes below mem_len: sieve of Eratosthenes on the bytes of mem. */
static void build_sieve(struct pb *b)
{
	MOVX(3, 1); MOVX(4, 1); ADDX(4, 2);
	LABEL(0);
	STDW(3, 0, 0); ADDK(3, 8); JLTX(3, 4, 0);
	MOVK(0, 0); MOVK(6, 2);
	LABEL(1);
	MOVX(5, 1); ADDX(5, 6); LDXB(5, 5, 0); JNEK(5, 0, 3);
	ADDK(0, 1); MOVX(7, 6); MULX(7, 6); JGEX(7, 2, 3);
	LABEL(2);
	MOVX(5, 1); ADDX(5, 7); STB(5, 0, 1); ADDX(7, 6); JLTX(7, 2, 2);
	LABEL(3);
	ADDK(6, 1); JLTX(6, 2, 1);
	EXIT();
}

const struct bench_prog bench_progs[] = {
	{ "sum loop", build_sum, 2048, init_random, 0, native_sum },
	{ "nested loops", build_nested, 8, init_n64, 0, native_nested },
	{ "fibonacci", build_fib, 8, init_n1000, 0, native_fib },
	{ "bubble sort", build_bubble, 256, init_descending, 1, native_bubble },
	{ "checksum", build_checksum, 1500, init_random, 0, native_checksum },
	{ "fnv1a hash", build_fnv1a, 1024, init_random, 0, native_fnv1a },
	{ "popcount", build_popcount, 1024, init_random, 0, native_popcount },
	{ "byte swaps", build_bswap, 1024, init_random, 0, native_bswap },
	{ "collatz", build_collatz, 8, init_n300, 0, native_collatz },
	{ "calls", build_calls, 8, init_n200, 0, native_calls },
	{ "memory copy", build_memcpy, 4096, init_random, 0, native_memcpy },
	{ "prime sieve", build_sieve, 4096, init_zero, 0, native_sieve },
};
const size_t bench_nprogs = sizeof(bench_progs) / sizeof(bench_progs[0]);
