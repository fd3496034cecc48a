/*
 * list.h - the programs of bench/progs, X(name, input): input is how the
 * data is made (INPUT_RANDOM: 1024 random bytes; INPUT_PACKET: a VLAN
 * tagged TCP/IPv4 packet). Add a program: a file bench/progs/NAME.c and a
 * line here.
 */
#define BENCH_LIST(X)                         \
	X(loops, INPUT_RANDOM)                \
	X(nested, INPUT_RANDOM)               \
	X(fib, INPUT_RANDOM)                  \
	X(collatz, INPUT_RANDOM)              \
	X(branchy, INPUT_RANDOM)              \
	X(switch_vm, INPUT_RANDOM)            \
	X(sum32, INPUT_RANDOM)                \
	X(stride, INPUT_RANDOM)               \
	X(memxor, INPUT_RANDOM)               \
	X(isort, INPUT_RANDOM)                \
	X(checksum, INPUT_RANDOM)             \
	X(crc32, INPUT_RANDOM)                \
	X(fnv1a, INPUT_RANDOM)                \
	X(murmur, INPUT_RANDOM)               \
	X(popcount, INPUT_RANDOM)             \
	X(bitrev, INPUT_RANDOM)               \
	X(bswap, INPUT_RANDOM)                \
	X(matmul, INPUT_RANDOM)               \
	X(divmod, INPUT_RANDOM)               \
	X(sieve, INPUT_RANDOM)                \
	X(calls, INPUT_RANDOM)                \
	X(xdp_parse, INPUT_PACKET)            \
	X(big, INPUT_RANDOM)

/*
 * Programs that look up maps (BENCH_MAPS in bench_prog.h): run through the
 * object loader and nyk_program_test_run, not as raw code. X(name, input).
 */
#define MAP_BENCH_LIST(X)                     \
	X(maparray, INPUT_RANDOM)             \
	X(maphash, INPUT_RANDOM)
