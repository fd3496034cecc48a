/*
 * rng.h - the random numbers of the program generators (gen.c, gen_pkt.c):
 * splitmix64 over one 64-bit state, so a seed gives the same program on
 * every machine.
 */
#ifndef NYUKI_DIFFTEST_RNG_H
#define NYUKI_DIFFTEST_RNG_H

#include <stdint.h>

static inline uint64_t dt_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform-enough in [0, n); 0 when n is 0. */
static inline unsigned dt_rng_below(uint64_t *state, unsigned n)
{
	return n ? (unsigned)(dt_rng_next(state) % n) : 0;
}

#endif
