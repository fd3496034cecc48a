/*
 * bench.h - the interpreter benchmark's programs: each is built as eBPF
 * instructions (progs.c, with a small label-patching builder) and has a
 * native twin with the same logic in C (native.c, compiled separately with
 * -O2 and kept out of line so nothing is folded at compile time).
 */
#ifndef NYUKI_BENCH_H
#define NYUKI_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/isa.h"

/* A program under construction: instructions plus labels to patch. */
struct pb {
	struct nyk_insn insn[512];
	size_t n;
	long label[32];
	struct { size_t at; int label; int is_call; } fix[64];
	size_t nfix;
	int failed;
};

struct bench_prog {
	const char *name;
	void (*build)(struct pb *b);
	size_t mem_len;                               /* r1 = mem, r2 = mem_len */
	void (*init)(uint8_t *mem, size_t len);       /* the input */
	int reset;                                    /* the program changes its input: init before each run */
	uint64_t (*native)(uint8_t *mem, size_t len);
};

extern const struct bench_prog bench_progs[];
extern const size_t bench_nprogs;

/* Resolve labels; returns 0, or -1 when a label is missing. */
int pb_finish(struct pb *b);

uint64_t native_sum(uint8_t *mem, size_t len);
uint64_t native_nested(uint8_t *mem, size_t len);
uint64_t native_fib(uint8_t *mem, size_t len);
uint64_t native_bubble(uint8_t *mem, size_t len);
uint64_t native_checksum(uint8_t *mem, size_t len);
uint64_t native_fnv1a(uint8_t *mem, size_t len);
uint64_t native_popcount(uint8_t *mem, size_t len);
uint64_t native_bswap(uint8_t *mem, size_t len);
uint64_t native_collatz(uint8_t *mem, size_t len);
uint64_t native_calls(uint8_t *mem, size_t len);
uint64_t native_memcpy(uint8_t *mem, size_t len);
uint64_t native_sieve(uint8_t *mem, size_t len);

#endif
