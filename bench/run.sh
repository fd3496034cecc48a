#!/bin/sh
# bench/run.sh - build the library and the benchmarks, then run them.
# `make bench` calls this. Figures are printed, never asserted.
#
#   bench/run.sh [jit|interp|all] [TRIALS]    (default: all)
#     jit     bench/progs (BPF C) natively, on the nyuki JIT and interpreter,
#             and on the kernel's JIT where bpf() is permitted; CSV and an
#             SVG chart in $BUILD/bench/
#     interp  the interpreter's own benchmark (bench/interp)
#     load    object loading and linking (bench/load): a small and a large
#             generated BPF C object, time per linked instruction
#     verifier nyk_verify on generated programs of 1k..1M instructions and on
#             every program of tests/progs and bench/progs (bench/verifier);
#             `bench/run.sh verifier 1000,10000` picks the sizes
#
#   BUILD   build directory of the library (default: build)
#   CC      compiler of the library (default: make's); the programs, their
#           native twins and the harnesses are compiled with clang -O2
set -e
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WHAT=${1:-all}
TRIALS=${2:-}
if [ -z "$NYK_BENCH_NO_MAKE" ]; then
	if [ -n "$CC" ]; then
		make -s -j2 CC="$CC" BUILD="$BUILD" "$BUILD/libnyuki.a"
	else
		make -s -j2 BUILD="$BUILD" "$BUILD/libnyuki.a"
	fi
fi
BENCH_CC=$(command -v clang || command -v cc)
OUT="$BUILD/bench"
mkdir -p "$OUT"
KERNEL_DEF=
[ "$(uname -s)" = Linux ] && KERNEL_DEF=-DNYK_HAVE_KERNEL=1

if [ "$WHAT" = jit ] || [ "$WHAT" = all ]; then
	if ! command -v clang >/dev/null 2>&1; then
		echo "bench: the BPF C programs need clang; skipping the JIT benchmark"
	else
		natives=
		for src in bench/progs/*.c; do
			name=$(basename "$src" .c)
			clang -O2 -g0 -target bpf -mcpu=v3 -Ibench/progs -c "$src" -o "$OUT/$name.bpf.o"
			clang -O2 -g0 -std=c11 -Ibench/progs -c "$src" -o "$OUT/$name.native.o"
			natives="$natives $OUT/$name.native.o"
		done
		clang -O2 -std=c11 -D_DEFAULT_SOURCE $KERNEL_DEF -Iinclude -Ibench/jit -c bench/jit/bench_jit.c \
			-o "$OUT/bench_jit.o"
		clang -o "$OUT/bench_jit" "$OUT/bench_jit.o" $natives "$BUILD/libnyuki.a" -lm
		echo "library: $BUILD/libnyuki.a (${CC:-cc}); programs: clang -O2 -target bpf -mcpu=v3; native twins: clang -O2"
		"$OUT/bench_jit" "$OUT" $TRIALS
	fi
fi

if [ "$WHAT" = interp ] || [ "$WHAT" = all ]; then
	FLAGS="-O2 -std=c11 -D_DEFAULT_SOURCE -Iinclude -Ibench/interp"
	$BENCH_CC $FLAGS -c bench/interp/native.c -o "$OUT/native.o"
	$BENCH_CC $FLAGS -c bench/interp/progs.c -o "$OUT/progs.o"
	$BENCH_CC $FLAGS -c bench/interp/bench_interp.c -o "$OUT/bench_interp.o"
	$BENCH_CC -o "$OUT/bench_interp" "$OUT/bench_interp.o" "$OUT/progs.o" "$OUT/native.o" "$BUILD/libnyuki.a" -lm
	echo
	echo "library: $BUILD/libnyuki.a (${CC:-cc}); benchmark and native twins: $BENCH_CC -O2"
	"$OUT/bench_interp" $TRIALS
fi

if [ "$WHAT" = load ] || [ "$WHAT" = all ]; then
	if ! command -v clang >/dev/null 2>&1; then
		echo "bench: the load benchmark's objects need clang; skipping it"
	else
		sh bench/load/gen.sh 4 2 >"$OUT/load_small.c"
		sh bench/load/gen.sh 400 40 >"$OUT/load_large.c"
		for size in small large; do
			clang -O2 -g -target bpf -mcpu=v3 -c "$OUT/load_$size.c" -o "$OUT/load_$size.o"
		done
		$BENCH_CC -O2 -std=c11 -D_DEFAULT_SOURCE -Iinclude -o "$OUT/bench_load" bench/load/bench_load.c \
			"$BUILD/libnyuki.a" -lm
		echo
		echo "library: $BUILD/libnyuki.a (${CC:-cc}); objects: clang -O2 -g -target bpf (bench/load/gen.sh)"
		"$OUT/bench_load" "$OUT/load_small.o" "$OUT/load_large.o"
	fi
fi

# verifier: nyk_verify on generated programs of 1k..1M instructions (bench/verifier/gen.c) and on every
# program of tests/progs and bench/progs: time, ns/insn, states, peak memory (bench/verifier).
#   bench/run.sh verifier [SIZES]   SIZES: comma-separated instruction counts (default 1000,10000,100000,1000000)
if [ "$WHAT" = verifier ] || [ "$WHAT" = all ]; then
	VOUT="$OUT/verifier"
	mkdir -p "$VOUT"
	echo
	if ! $BENCH_CC -O2 -std=c11 -D_DEFAULT_SOURCE -Iinclude -Ibench/verifier -o "$VOUT/bench_verifier" \
		bench/verifier/bench_verifier.c bench/verifier/gen.c "$BUILD/libnyuki.a" -lm 2>"$VOUT/build.log"; then
		echo "bench: the verifier benchmark does not build (is the verifier in $BUILD/libnyuki.a?); skipping it"
		tail -5 "$VOUT/build.log"
	else
		objs=
		if command -v clang >/dev/null 2>&1; then
			multiarch=/usr/include/$(uname -m)-linux-gnu
			inc=
			[ -d "$multiarch" ] && inc=-I$multiarch
			for src in tests/progs/*.c; do
				name=$(basename "$src" .c)
				# the file's own flags, as tests/progs/run.sh reads them
				flags=$(awk '/^\/\/! case /{exit} $1=="//!" && $2=="cflags" {sub(/^\/\/! [^ ]+ ?/,""); print; exit}' "$src")
				# shellcheck disable=SC2086
				clang -target bpf -O2 -g -Wall -Wno-unused-function -Iinclude -Itests/progs $inc $flags \
					-c "$src" -o "$VOUT/$name.o" 2>/dev/null && objs="$objs $VOUT/$name.o"
			done
			for src in bench/progs/*.c; do
				name=$(basename "$src" .c)
				clang -O2 -g -target bpf -mcpu=v3 -Ibench/progs -c "$src" -o "$VOUT/bench_$name.o" &&
					objs="$objs $VOUT/bench_$name.o"
			done
		else
			echo "bench: the BPF C programs need clang; generated programs only"
		fi
		echo "library: $BUILD/libnyuki.a (${CC:-cc}); harness: $BENCH_CC -O2; objects: clang -O2 -g -target bpf"
		SIZES_ARG=
		[ "$WHAT" = verifier ] && [ -n "$TRIALS" ] && SIZES_ARG="--sizes $TRIALS"
		# shellcheck disable=SC2086
		"$VOUT/bench_verifier" $SIZES_ARG $objs
	fi
fi
