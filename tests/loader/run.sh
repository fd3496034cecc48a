#!/usr/bin/env bash
# tests/loader/run.sh [BUILD] - the object loader on what real compilers emit.
#
# Every tests/loader/*.c is compiled at test time with the machine's clang
# (-O2 -target bpf, -mcpu=v1, v2 and v3, with -g; big-endian bpfeb; without
# -g when the test allows it) and with gcc-bpf (-O2 -gbtf) when it is
# installed and the test says "GCC: yes"; every *.s is assembled by clang.
# Each object goes through loader_check (built here against BUILD's
# libnyuki.a), whose output must match the test's directives:
#
#   // CHECK: text        the output has a line containing text
#   // CHECK-NOT: text    no line contains it
#   // ERROR: text        opening or loading fails, and the error says text
#   // ARGS: args         loader_check arguments (shell words)
#   // RUN-ARGS: args     more arguments on little-endian objects (runs, values)
#   // RUN-CHECK: text    CHECK on little-endian objects only
#   // CLANG-CHECK: text  CHECK on clang's objects with -g only (gcc lays some things out
#                         otherwise; line info needs -g)
#   // GCC: yes           also compile with gcc-bpf
#   // NOBTF: yes         also compile without -g
#   // MCPU: v2 v3        only these -mcpu variants (default v1 v2 v3)
#   // BIG-ENDIAN: no     no bpfeb variant
#   // CFLAGS: flags      extra compiler flags
# In texts, @LINE(word)@ is the number of the first source line containing word;
# in arguments, @OUT@ is the output directory and @OBJ@ the object under test.
# tests/loader/btf/*.c are compiled first (clang -g) for their BTF: CO-RE targets.
#
# SAN=1: BUILD is an AddressSanitizer/UBSan build; loader_check is built to match.
# Prints one line per object and ends with "loader: N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
OUT=$BUILD/loader
mkdir -p "$OUT"
pass=0 fail=0 skip=0

if ! command -v clang >/dev/null 2>&1; then
	echo "SKIPPED: the loader tests need clang"
	echo "loader: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ ! -f "$BUILD/libnyuki.a" ]; then
	echo "FAIL: $BUILD/libnyuki.a is missing (build first)"
	echo "loader: 0 passed, 1 failed"
	exit 1
fi
HOST_CC=${CC:-cc}
SAN_FLAGS=()
[ "${SAN:-0}" = 1 ] && SAN_FLAGS=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
if ! $HOST_CC -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -g "${SAN_FLAGS[@]}" -Iinclude \
	-o "$OUT/loader_check" tests/loader/loader_check.c "$BUILD/libnyuki.a" -lm >"$OUT/build.log" 2>&1; then
	cat "$OUT/build.log"
	echo "loader: 0 passed, 1 failed"
	exit 1
fi

# Kernel headers for BPF programs that include <linux/...> (Debian's multiarch path).
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
INC=(-Itests/loader -I/usr/include/"$MULTIARCH")
GCC_BPF=$(command -v bpf-gcc || command -v bpf-unknown-none-gcc || true)

# directive FILE NAME: the values of "// NAME: ..." lines (or "# NAME: ..." in assembly), one per line.
directive() {
	sed -n -E "s@^(//|#) $2: (.*)\$@\\2@p" "$1"
}

# Replace @LINE(word)@ with the line number of word in FILE.
expand_lines() {
	local file=$1 text=$2 word n
	while [[ $text =~ @LINE\(([^\)]*)\)@ ]]; do
		word=${BASH_REMATCH[1]}
		n=$(grep -n -F -- "$word" "$file" | head -n 1 | cut -d: -f1)
		text=${text//@LINE($word)@/${n:-0}}
	done
	printf '%s' "$text"
}

# check FILE OUTPUT_FILE STATUS LITTLE_ENDIAN CLANG: 0 when the output matches, else prints why.
check() {
	local file=$1 out=$2 status=$3 le=$4 clang=$5 line want err
	err=$(directive "$file" ERROR)
	if [ -n "$err" ]; then
		if [ "$status" -ne 1 ]; then
			echo "    expected an error, loader_check exited $status"
			return 1
		fi
		while IFS= read -r line; do
			want=$(expand_lines "$file" "$line")
			grep -q -F -- "$want" "$out" || { echo "    the error does not say: $want"; return 1; }
		done <<<"$err"
	elif [ "$status" -ne 0 ]; then
		echo "    loader_check exited $status:"
		grep '^error' "$out" | sed 's/^/    /'
		return 1
	fi
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		want=$(expand_lines "$file" "$line")
		grep -q -F -- "$want" "$out" || { echo "    missing: $want"; return 1; }
	done < <(directive "$file" CHECK; [ "$le" = 1 ] && directive "$file" RUN-CHECK
		 [ "$clang" = 1 ] && directive "$file" CLANG-CHECK)
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		want=$(expand_lines "$file" "$line")
		if grep -q -F -- "$want" "$out"; then
			echo "    unexpected: $want"
			return 1
		fi
	done < <(directive "$file" CHECK-NOT)
	return 0
}

# variant FILE NAME LITTLE_ENDIAN COMPILER ARGS...: compile and check one object.
variant() {
	local file=$1 name=$2 le=$3 obj status args=() runargs=() a
	shift 3
	obj=$OUT/$(basename "${file%.*}")-$name.o
	if ! "$@" -o "$obj" >"$obj.cc.log" 2>&1; then
		echo "FAIL $(basename "$file") [$name]: does not compile"
		sed 's/^/    /' "$obj.cc.log" | head -20
		fail=$((fail + 1))
		return
	fi
	a=$(directive "$file" ARGS | tr '\n' ' ')
	a=${a//@OUT@/$OUT}
	eval "args=(${a//@OBJ@/$obj})"
	if [ "$le" = 1 ]; then
		a=$(directive "$file" RUN-ARGS | tr '\n' ' ')
		eval "runargs=($a)"
	fi
	"$OUT/loader_check" --dump --lines "${args[@]}" "${runargs[@]}" "$obj" >"$obj.out" 2>&1
	status=$?
	if msg=$(check "$file" "$obj.out" "$status" "$le" "$([[ $name == clang* && $name != *nobtf ]] && echo 1 || echo 0)"); then
		echo "ok   $(basename "$file") [$name]"
		pass=$((pass + 1))
	else
		echo "FAIL $(basename "$file") [$name] (output: $obj.out)"
		echo "$msg"
		fail=$((fail + 1))
	fi
}

for file in tests/loader/btf/*.c; do
	if ! clang -g -O2 -target bpf -c "$file" -o "$OUT/$(basename "${file%.c}").o" 2>"$OUT/btf.log"; then
		echo "FAIL $file: does not compile"
		cat "$OUT/btf.log"
		fail=$((fail + 1))
	fi
done

for file in tests/loader/*.c tests/loader/*.s; do
	[ -f "$file" ] || continue
	case $(basename "$file") in loader_check.c) continue ;; esac
	extra=$(directive "$file" CFLAGS | tr '\n' ' ')
	if [ "${file##*.}" = s ]; then
		variant "$file" asm 1 clang -target bpfel -c "$file"
		[ "$(directive "$file" BIG-ENDIAN)" = no ] || variant "$file" asm-bpfeb 0 clang -target bpfeb -c "$file"
		continue
	fi
	cpus=$(directive "$file" MCPU)
	for cpu in ${cpus:-v1 v2 v3}; do
		# shellcheck disable=SC2086
		variant "$file" "clang-$cpu" 1 clang -O2 -g -target bpfel -mcpu="$cpu" "${INC[@]}" $extra -c "$file"
	done
	if [ "$(directive "$file" BIG-ENDIAN)" != no ]; then
		# shellcheck disable=SC2086
		variant "$file" clang-bpfeb 0 clang -O2 -g -target bpfeb -mcpu=v3 "${INC[@]}" $extra -c "$file"
	fi
	if [ "$(directive "$file" NOBTF)" = yes ]; then
		# shellcheck disable=SC2086
		variant "$file" clang-nobtf 1 clang -O2 -target bpfel -mcpu=v3 "${INC[@]}" $extra -c "$file"
	fi
	if [ "$(directive "$file" GCC)" = yes ]; then
		if [ -n "$GCC_BPF" ]; then
			# shellcheck disable=SC2086
			variant "$file" gcc 1 "$GCC_BPF" -O2 -gbtf -Itests/loader $extra -c "$file"
		else
			echo "skip $(basename "$file") [gcc]: no gcc-bpf (bpf-gcc) installed"
			skip=$((skip + 1))
		fi
	fi
done

if [ "$skip" -gt 0 ]; then
	echo "loader: $pass passed, $fail failed, $skip skipped"
else
	echo "loader: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
