#!/usr/bin/env bash
# Run every test suite of nyuki and print one closing line:
#   N passed, N failed[, N skipped]
# Each stage prints its own result lines; their counts are added up here.
#   tests/run.sh            everything (about 5 minutes)
#   FUZZ_SECONDS=N          how long each fuzzer runs (default 15)
#   NYK_SKIP_SAN=1          skip the AddressSanitizer/UBSan stage
set -u
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
total_pass=0 total_fail=0 total_skip=0
log_dir=build/test-logs
mkdir -p "$log_dir"

# Add the counts of the last "N passed, N failed[, N skipped]" line of a log.
count() {
	local log=$1 rc=$2 line p f s
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		# A stage that printed no counts failed as a whole.
		p=0 f=1 s=0
	else
		p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
		f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
		s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
		[ -z "$s" ] && s=0
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	fi
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
}

# stage NAME COMMAND...: run, show its output, add its counts.
stage() {
	local name=$1 log="$log_dir/$1.log" rc
	shift
	echo "=== $name: $*"
	"$@" >"$log" 2>&1
	rc=$?
	# Keep the output readable: failures in full, passes summarised.
	grep -vE '^(ok|PASS) ' "$log"
	count "$log" "$rc"
}

build() {
	local name=$1 log="$log_dir/build-$1.log"
	shift
	echo "=== build $name: make $*"
	if make -j"$jobs" "$@" >"$log" 2>&1; then
		echo "build $name: 1 passed, 0 failed" | tee -a "$log" >/dev/null
		total_pass=$((total_pass + 1))
		return 0
	fi
	tail -40 "$log"
	total_fail=$((total_fail + 1))
	return 1
}

if build gcc; then
	stage unit build/nyuki-unit-tests
	stage conformance-interp build/nyuki test conformance --executor interp
	stage conformance-jit build/nyuki test conformance --executor jit
	stage difftest build/nyuki-difftest 3000
	stage difftest-kernel build/nyuki-difftest --kernel 300
	stage verify-sound build/nyuki-verify-sound --mix 3000
	stage conformance-kernel build/nyuki test conformance --executor kernel
	stage plugin tests/plugin/run.sh build/nyuki-conformance-plugin
	stage cli tests/cli/run.sh build/nyuki
	stage progs tests/progs/run.sh build/nyuki
	stage progs-cli tests/progs/cli.sh build/nyuki
	stage verifier tests/verifier/run.sh build/nyuki
	stage loader tests/loader/run.sh build
	stage btf tests/btf/run.sh build
	stage maps tests/maps/run.sh build
fi

# -Wall -Wextra -Werror with clang as well.
if command -v clang >/dev/null 2>&1; then
	build clang CC=clang BUILD=build/clang
fi

if [ "${NYK_SKIP_SAN:-0}" != 1 ]; then
	if build asan SAN=1 BUILD=build/asan; then
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		stage asan-unit build/asan/nyuki-unit-tests
		stage asan-verify-sound build/asan/nyuki-verify-sound 1000
		stage asan-conformance build/asan/nyuki test conformance --executor interp
		stage asan-conformance-jit build/asan/nyuki test conformance --executor jit
		stage asan-plugin tests/plugin/run.sh build/asan/nyuki-conformance-plugin
		stage asan-cli tests/cli/run.sh build/asan/nyuki
		stage asan-progs env NYK_PROGS_KERNEL=0 tests/progs/run.sh build/asan/nyuki
		stage asan-progs-cli tests/progs/cli.sh build/asan/nyuki
		stage asan-verifier env NYK_VERIFIER_KERNEL=0 tests/verifier/run.sh build/asan/nyuki
		stage asan-loader env SAN=1 tests/loader/run.sh build/asan
		stage asan-btf tests/btf/run.sh build/asan
		stage asan-maps tests/maps/run.sh build/asan -fsanitize=address,undefined
	fi
fi

stage fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-15}"

echo
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
