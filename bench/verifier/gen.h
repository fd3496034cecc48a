/*
 * gen.h - programs of any size for the verifier benchmark, shaped like the
 * code compilers emit for XDP: straight-line arithmetic, if/else diamonds,
 * bounded loops (some nested), stack spills and fills, packet bounds
 * checks with accesses behind them, map lookups with null checks, and
 * bpf-to-bpf calls (scalar arguments and pointers into the caller's
 * stack). Every program is one a sound and reasonably precise verifier
 * accepts: each access is proven by the code before it, each loop counts
 * a register to a constant bound.
 */
#ifndef NYUKI_BENCH_VGEN_H
#define NYUKI_BENCH_VGEN_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/isa.h"
#include "nyuki/map.h"

/* What the blocks of a program may be (all by default). */
enum {
	VGEN_ALU = 1u << 0,
	VGEN_DIAMOND = 1u << 1,
	VGEN_LOOP = 1u << 2,
	VGEN_NESTED_LOOP = 1u << 3,
	VGEN_SPILL = 1u << 4,
	VGEN_PACKET = 1u << 5,
	VGEN_MAP = 1u << 6,
	VGEN_CALL = 1u << 7,
	VGEN_ALL = (1u << 8) - 1,
};

/* Names of the features above, by bit, for messages. */
extern const char *const vgen_feature_names[8];

/*
 * A program of exactly `target` instructions (at least 64) of type xdp,
 * using the maps vgen_maps() describes (lddw src 1, imm = index). NULL
 * when out of memory. Free with free().
 */
struct nyk_insn *vgen_program(size_t target, uint64_t seed, unsigned features, size_t *count);

/* The map definitions the programs refer to: [0] an array, [1] a hash. */
const struct nyk_map_def *const *vgen_maps(size_t *count);

#endif
