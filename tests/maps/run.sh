#!/usr/bin/env bash
# Shared-memory maps across processes: tests/maps/shm_check.c runs as a
# producer and a consumer at the same time on maps under a fresh directory
# (in /dev/shm when there is one). Ends with "maps: N passed, N failed".
#   tests/maps/run.sh [BUILD_DIR [CFLAGS...]]   (default build; CFLAGS e.g. -fsanitize=address,undefined)
#   MAPS_EVENTS=N   events the producer sends (default 200000)
set -u
cd "$(dirname "$0")/../.."
build=${1:-build}
shift || true
cc=${CC:-cc}
n=${MAPS_EVENTS:-200000}
out="$build/maps-test"
mkdir -p "$out"
if ! $cc -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude "$@" tests/maps/shm_check.c "$build/libnyuki.a" -lm \
	-o "$out/shm_check" 2>"$out/build.log"; then
	cat "$out/build.log"
	echo "maps: 0 passed, 1 failed"
	exit 1
fi
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
dir=$(mktemp -d "$base/nyuki-maps.XXXXXX")
trap 'rm -rf "$dir"' EXIT

"$out/shm_check" producer "$dir" "$n" >"$out/producer.log" 2>&1 &
producer=$!
"$out/shm_check" consumer "$dir" "$n" >"$out/consumer.log" 2>&1
consumer_rc=$?
wait "$producer"
producer_rc=$?

pass=0 fail=0
for role in producer consumer; do
	sed "s/^/$role: /" "$out/$role.log"
	p=$(grep -c '^ok ' "$out/$role.log")
	f=$(grep -c '^FAIL ' "$out/$role.log")
	pass=$((pass + p)) fail=$((fail + f))
done
# A process that died (or printed nothing) counts as a failure.
if [ "$producer_rc" -ne 0 ] || [ "$consumer_rc" -ne 0 ]; then
	[ "$fail" -eq 0 ] && fail=1
	echo "exit status: producer $producer_rc, consumer $consumer_rc"
fi
echo "maps: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
