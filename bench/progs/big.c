/*
 * A large program: five loops of 110 rounds, unrolled into about 14,000
 * instructions (clang -O2 -mcpu=v3: 13,856), the size the JIT's compile
 * time is measured on. Each load's address depends on the running state,
 * so loads stay in place; each is checked against the end of the data
 * right before it, after its variable offset is added, as the kernel's
 * verifier needs (a variable offset added to a checked packet pointer
 * loses the checked range).
 */
#include "bench_prog.h"

/*
 * One unrolled loop of 110 rounds: x picks the word (any of the 127 at
 * offsets 0..1008, through its high bits), y accumulates; the constants
 * differ per loop so that no two loops compute the same thing.
 */
#define ROUNDS(x, y, sh, mul, rot, k)                                       \
	_Pragma("clang loop unroll(full)")                                  \
	for (int i = 0; i < 880; i += 8) {                                 \
		const u8 *p = data + ((x >> (sh) ^ (u64)i) & 1016);         \
		CHECK(p, 8, x ^ y);                                         \
		u64 v = *(const u64 *)p;                                    \
		x = (x ^ v) * (mul);                                        \
		y += x >> (rot) | v << 5;                                   \
		x ^= y >> 11;                                               \
		y = y * (k) + (u64)i;                                       \
	}

BENCH(big)
{
	u64 a = 0x243f6a8885a308d3ull, b = 0x13198a2e03707344ull;

	ROUNDS(a, b, 7, 0x9e3779b97f4a7c15ull, 17, 5)
	ROUNDS(b, a, 9, 0xc2b2ae3d27d4eb4full, 13, 3)
	ROUNDS(a, b, 5, 0x165667b19e3779f9ull, 23, 9)
	ROUNDS(b, a, 11, 0xff51afd7ed558ccdull, 19, 7)
	ROUNDS(a, b, 3, 0xc4ceb9fe1a85ec53ull, 29, 5)
	return a ^ b;
}
