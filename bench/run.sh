#!/bin/sh
# bench/run.sh - build the library and the benchmarks, then run them.
# `make bench` calls this. Figures are printed, never asserted.
#
#   BUILD   build directory of the library (default: build)
#   CC      compiler of the library (default: make's); the benchmark itself
#           and its native twins are compiled with clang -O2 when present
set -e
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
if [ -n "$CC" ]; then
	make -s -j2 CC="$CC" BUILD="$BUILD" "$BUILD/libnyuki.a"
else
	make -s -j2 BUILD="$BUILD" "$BUILD/libnyuki.a"
fi
BENCH_CC=$(command -v clang || command -v cc)
OUT="$BUILD/bench"
mkdir -p "$OUT"
FLAGS="-O2 -std=c11 -D_DEFAULT_SOURCE -Iinclude -Ibench/interp"
$BENCH_CC $FLAGS -c bench/interp/native.c -o "$OUT/native.o"
$BENCH_CC $FLAGS -c bench/interp/progs.c -o "$OUT/progs.o"
$BENCH_CC $FLAGS -c bench/interp/bench_interp.c -o "$OUT/bench_interp.o"
$BENCH_CC -o "$OUT/bench_interp" "$OUT/bench_interp.o" "$OUT/progs.o" "$OUT/native.o" "$BUILD/libnyuki.a" -lm
echo "library: $BUILD/libnyuki.a (${CC:-cc}); benchmark and native twins: $BENCH_CC -O2"
exec "$OUT/bench_interp" "$@"
