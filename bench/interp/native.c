/*
 * native.c - the benchmark programs written in C, with the same logic as
 * their eBPF versions in progs.c. Compiled with -O2 on its own so the
 * compiler cannot see the inputs.
 */
#include <string.h>

#include "bench.h"

#define NOINLINE __attribute__((noinline))

static uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t ld64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

NOINLINE uint64_t native_sum(uint8_t *mem, size_t len)
{
	uint64_t s = 0;
	for (size_t i = 0; i < len; i += 4)
		s += ld32(mem + i);
	return s;
}

NOINLINE uint64_t native_nested(uint8_t *mem, size_t len)
{
	(void)len;
	uint64_t n = ld32(mem), acc = 0;
	for (uint64_t i = 0; i < n; i++)
		for (uint64_t j = 0; j < n; j++)
			acc += (i * j) ^ (acc >> 3);
	return acc;
}

NOINLINE uint64_t native_fib(uint8_t *mem, size_t len)
{
	(void)len;
	uint64_t n = ld32(mem), a = 0, b = 1;
	do {
		uint64_t c = a + b;
		a = b;
		b = c;
	} while (--n);
	return a;
}

NOINLINE uint64_t native_bubble(uint8_t *mem, size_t len)
{
	uint32_t *a = (uint32_t *)(void *)mem;
	size_t n = len / 4;
	for (size_t i = n - 1; i > 0; i--)
		for (size_t j = 0; j < i; j++)
			if (a[j] > a[j + 1]) {
				uint32_t t = a[j];
				a[j] = a[j + 1];
				a[j + 1] = t;
			}
	return (uint64_t)a[n - 1] << 32 | a[0];
}

NOINLINE uint64_t native_checksum(uint8_t *mem, size_t len)
{
	uint64_t s = 0;
	for (size_t i = 0; i < len; i += 2)
		s += (uint64_t)mem[i] << 8 | mem[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s ^ 0xffff;
}

NOINLINE uint64_t native_fnv1a(uint8_t *mem, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= mem[i];
		h *= 0x100000001b3u;
	}
	return h;
}

NOINLINE uint64_t native_popcount(uint8_t *mem, size_t len)
{
	uint64_t total = 0;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = ld64(mem + i);
		x = x - ((x >> 1) & 0x5555555555555555u);
		x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
		x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
		total += (x * 0x0101010101010101u) >> 56;
	}
	return total;
}

NOINLINE uint64_t native_bswap(uint8_t *mem, size_t len)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = ld64(mem + i);
		acc += __builtin_bswap64(v);
		acc ^= __builtin_bswap32((uint32_t)v);
		acc = (acc << 1) | (acc >> 63);
	}
	return acc;
}

NOINLINE uint64_t native_collatz(uint8_t *mem, size_t len)
{
	(void)len;
	uint64_t n = ld32(mem), steps = 0;
	for (uint64_t seed = 1; seed <= n; seed++) {
		uint64_t x = seed;
		while (x != 1) {
			x = (x & 1) ? 3 * x + 1 : x >> 1;
			steps++;
		}
	}
	return steps;
}

static uint64_t h(uint64_t x) { return x ^ 0x55; }
static uint64_t g(uint64_t x) { return h(x) * 3; }
static uint64_t f(uint64_t x) { return g(x) + 1; }

NOINLINE uint64_t native_calls(uint8_t *mem, size_t len)
{
	(void)len;
	uint64_t n = ld32(mem), acc = 0;
	for (uint64_t i = 0; i < n; i++)
		acc += f(i);
	return acc;
}

NOINLINE uint64_t native_memcpy(uint8_t *mem, size_t len)
{
	size_t half = len / 2;
	for (size_t i = 0; i < half; i += 8) {
		uint64_t v = ld64(mem + i);
		memcpy(mem + half + i, &v, 8);
	}
	return ld64(mem + len - 8);
}

NOINLINE uint64_t native_sieve(uint8_t *mem, size_t len)
{
	uint64_t count = 0;
	for (size_t i = 0; i < len; i += 8)
		memset(mem + i, 0, 8);
	for (uint64_t i = 2; i < len; i++) {
		if (mem[i])
			continue;
		count++;
		for (uint64_t j = i * i; j < len; j += i)
			mem[j] = 1;
	}
	return count;
}
