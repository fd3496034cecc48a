/*
 * gen_pkt.h - random XDP packet programs for the verifier's soundness run
 * (verify_sound.c --packet), and the exact run that judges them.
 *
 * The generator writes assembly text: data, data_end (and sometimes
 * data_meta) loaded from the context, pointers at constant and variable
 * offsets (indexes read from the packet and bounded with &, >>, comparisons,
 * sometimes not, or too large, on purpose), comparisons with data_end in
 * every form and direction with both outcomes used, copies, spills and fills,
 * counted loops indexing data + i after checking data + i + k (maparray and
 * switch_vm shapes), and calls of bpf_xdp_adjust_head/meta/tail in between.
 * Many are refused; what is accepted must never touch a byte outside the
 * packet (or the metadata) of any run.
 *
 * The run (pk_run) is exact: the packet sits in a frame below 4 GiB (so the
 * 32-bit xdp_md fields hold real addresses and no context rewriting is
 * needed), and the checked vm gets only [data, data_end) and [data_meta,
 * data) as regions besides the 24-byte context and the stack: a read or
 * write one byte outside faults. The adjust helpers move the regions as
 * the kernel moves the packet.
 */
#ifndef NYUKI_DIFFTEST_GEN_PKT_H
#define NYUKI_DIFFTEST_GEN_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"

enum { PK_TEXT = 32768, PK_MAX_LEN = 200 };

/* Write program number `seed` as assembly text into buf (PK_TEXT bytes). */
void pk_generate(char *buf, size_t size, uint64_t seed);

/* Set up the frame below 4 GiB; 0, or -1 when this machine cannot give one. */
int pk_init(void);

/*
 * Run `insns` checked (the JIT when `jit`) on packets of every length
 * 0..PK_MAX_LEN (metadata now and then; bytes all 0xff, counting or random,
 * from `seed`). Returns 0, or -1 with the first fault in `err` and the
 * packet in `desc`; desc starts with "refused" when the vm refused to load.
 */
int pk_run(const struct nyk_insn *insns, size_t n, uint64_t seed, int jit, char *desc, size_t desc_size,
	   struct nyk_error *err);

#endif
