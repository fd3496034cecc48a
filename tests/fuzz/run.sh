#!/usr/bin/env bash
# Build every libFuzzer harness and run each for a short time.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 10)
# Prints one line per harness and ends with "fuzz: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
secs=${1:-10}
if ! command -v clang >/dev/null 2>&1; then
	echo "SKIPPED: fuzzers need clang"
	echo "fuzz: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
if ! make -s -f tests/fuzz/Makefile -j2 >build-fuzz.log 2>&1; then
	cat build-fuzz.log; rm -f build-fuzz.log
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
rm -f build-fuzz.log
pass=0 fail=0
for bin in build/fuzz/fuzz_*; do
	name=$(basename "$bin")
	corpus=build/fuzz/corpus/$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/seeds/${name#fuzz_}
	dirs=("$corpus")
	[ -d "$seeds" ] && dirs+=("$seeds")
	if "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build/fuzz/"$name"- "${dirs[@]}" >build/fuzz/"$name".log 2>&1; then
		echo "ok   $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' build/fuzz/$name.log | grep -o '[0-9]*$' || echo '?') runs)"
		pass=$((pass + 1))
	else
		echo "FAIL $name (see build/fuzz/$name.log)"
		tail -30 build/fuzz/"$name".log
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
