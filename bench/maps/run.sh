#!/bin/sh
# bench/maps/run.sh - cost of map operations (ns per operation), printed.
#   BUILD   build directory of the library (default: build)
set -e
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make -s -j2 BUILD="$BUILD" "$BUILD/libnyuki.a"
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -std=c11 -Iinclude bench/maps/bench_maps.c "$BUILD/libnyuki.a" -lm -o "$BUILD/bench/bench_maps"
exec "$BUILD/bench/bench_maps" "$@"
