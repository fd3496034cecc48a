#!/usr/bin/env bash
# BTF, BTF.ext and CO-RE on what clang emits today:
#   - types.c built for both byte orders (and by gcc-bpf when installed):
#     `nyuki btf dump` raw output is the same for both and the same as
#     bpftool's (when bpftool is installed), -j is JSON, `format c`
#     compiles and keeps every struct's layout;
#   - CO-RE: core_prog.c relocated against core_target.c's BTF computes
#     what the same program built for the target layout computes (run in
#     the interpreter by core_check), misses poison with clear messages,
#     big-endian objects relocate as little-endian ones do, and gcc's
#     CO-RE objects give what clang's do;
#   - broken input fails with a message;
#   - /sys/kernel/btf/vmlinux, when readable: parsed, dumped like bpftool,
#     its C compiles with every unique struct's layout.
# Usage: tests/btf/run.sh [BUILD_DIR]   (default build; uses BUILD_DIR/nyuki
# and BUILD_DIR/libnyuki.a). Ends with "btf: N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
NYUKI=$B/nyuki
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && head -40 <<<"$2" | sed 's/^/     /'; fail=$((fail + 1)); }
skipped() { echo "SKIP $1"; skip=$((skip + 1)); }
finish() {
	if [ "$skip" -gt 0 ]; then
		echo "btf: $pass passed, $fail failed, $skip skipped"
	else
		echo "btf: $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit
}

# check NAME CMD...: the command must succeed.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
}

# expect NAME STATUS PATTERN CMD...: exit STATUS and PATTERN (grep -E) in stdout+stderr.
expect() {
	local name=$1 want=$2 pattern=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name (exit $rc, wanted $want)" "$out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		bad "$name (no /$pattern/ in output)" "$out"
	else
		ok "$name"
	fi
}

if [ ! -x "$NYUKI" ]; then
	bad "no $NYUKI (build first)"
	finish
fi
if ! command -v clang >/dev/null 2>&1; then
	skipped "everything: clang is not installed"
	finish
fi
have_bpftool=0
command -v bpftool >/dev/null 2>&1 && have_bpftool=1

bpfcc() { clang -g -O2 -Itests/btf "$@" 2>&1; }

# Layout: the C output with sizeof/offsetof assertions appended must compile.
layout_check() {   # NAME BTF_FILE [SKIP_LIST]
	local name=$1 file=$2 skiplist=${3:-} base
	base=$tmp/$(basename "$file").layout
	if ! "$NYUKI" btf dump "$file" >"$base.raw" 2>&1 || ! "$NYUKI" btf dump "$file" format c >"$base.h" 2>&1; then
		bad "$name: dump" "$(cat "$base.raw" "$base.h" 2>/dev/null)"
		return
	fi
	check "$name: format c compiles (clang -Wall -Werror)" clang -fsyntax-only -Wall -Werror -target bpf -x c "$base.h"
	{ cat "$base.h"; awk -v skip="$skiplist" -f tests/btf/layout.awk "$base.raw" "$base.raw"; } >"$base.c"
	check "$name: format c keeps sizes and offsets ($(grep -c _Static_assert "$base.c") assertions)" \
		clang -fsyntax-only -target bpf -x c "$base.c"
}

# ---- types.c ---------------------------------------------------------------

if out=$(bpfcc -target bpf -c tests/btf/types.c -o "$tmp/types.o") &&
	out=$(bpfcc -target bpfeb -c tests/btf/types.c -o "$tmp/types_be.o"); then
	ok "types.c builds for bpf and bpfeb"
	if "$NYUKI" btf dump "$tmp/types.o" >"$tmp/types.raw" 2>"$tmp/err"; then
		ok "raw dump of types.o"
	else
		bad "raw dump of types.o" "$(cat "$tmp/err")"
	fi
	check "file keyword, as bpftool: btf dump file X" "$NYUKI" btf dump file "$tmp/types.o"
	if out=$(diff <("$NYUKI" btf dump "$tmp/types_be.o" 2>&1) "$tmp/types.raw"); then
		ok "big-endian object dumps as the little-endian one"
	else
		bad "big-endian object dumps as the little-endian one" "$out"
	fi
	if [ "$have_bpftool" = 1 ]; then
		if out=$(diff <(bpftool btf dump file "$tmp/types.o" 2>&1) "$tmp/types.raw"); then
			ok "raw dump equals bpftool btf dump"
		else
			bad "raw dump equals bpftool btf dump" "$out"
		fi
	else
		skipped "raw dump vs bpftool (apt-get install bpftool)"
	fi
	n_raw=$(grep -c '^\[' "$tmp/types.raw")
	if command -v python3 >/dev/null 2>&1; then
		n_json=$("$NYUKI" -j btf dump "$tmp/types.o" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["types"]))' 2>&1)
		if [ "$n_json" = "$n_raw" ]; then ok "-j gives JSON with every type ($n_json)"; else bad "-j JSON" "$n_json vs $n_raw"; fi
	else
		skipped "-j JSON check needs python3"
	fi
	layout_check "types.o" "$tmp/types.o"
	expect "format c keeps anonymous unions inline" 0 $'^\tunion \\{' "$NYUKI" btf dump "$tmp/types.o" format c
	expect "format c keeps packed structs packed" 0 '^\} __attribute__\(\(packed\)\);' "$NYUKI" btf dump "$tmp/types.o" format c
	expect "format c keeps type tags" 0 'btf_type_tag\("user"\)\)\) \*uptr' "$NYUKI" btf dump "$tmp/types.o" format c
	expect "format c prints function pointers" 0 'typedef void \(\*\(\*factory_t\)\(int\)\)\(long\);' \
		"$NYUKI" btf dump "$tmp/types.o" format c
else
	bad "types.c builds for bpf and bpfeb" "$out"
fi

# ---- gcc ---------------------------------------------------------------------

gcc_bpf=""
for cc in bpf-gcc bpf-unknown-none-gcc; do
	command -v "$cc" >/dev/null 2>&1 && gcc_bpf=$cc && break
done
if [ -n "$gcc_bpf" ]; then
	if out=$($gcc_bpf -gbtf -O2 -w -c tests/btf/types.c -o "$tmp/types_gcc.o" 2>&1); then
		if [ "$have_bpftool" = 1 ]; then
			if out=$(diff <(bpftool btf dump file "$tmp/types_gcc.o" 2>&1) <("$NYUKI" btf dump "$tmp/types_gcc.o" 2>&1)); then
				ok "gcc object: raw dump equals bpftool btf dump"
			else
				bad "gcc object: raw dump equals bpftool btf dump" "$out"
			fi
		fi
		layout_check "types.o from $gcc_bpf" "$tmp/types_gcc.o"
	else
		bad "types.c builds with $gcc_bpf -gbtf" "$out"
	fi
else
	skipped "gcc objects: no bpf-gcc (apt-get install gcc-bpf)"
fi

# ---- broken input ------------------------------------------------------------

head -c 20 "$tmp/types.o" >"$tmp/trunc.o" 2>/dev/null
expect "truncated ELF is an error" 1 "Error: .*trunc.o" "$NYUKI" btf dump "$tmp/trunc.o"
if out=$(clang -O2 -target bpf -c tests/btf/types.c -o "$tmp/nodebug.o" 2>&1); then
	expect "object without -g: no .BTF section" 1 "no \.BTF section" "$NYUKI" btf dump "$tmp/nodebug.o"
else
	bad "types.c builds without -g" "$out"
fi
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x0c\x00\x00\x00\x0c\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x07\x00\x00\x00\x00' >"$tmp/bad.btf"
expect "raw BTF with a bad type id" 1 "BTF: type 1 \(PTR '\(anon\)'\): it refers to a type id out of range" \
	"$NYUKI" btf dump "$tmp/bad.btf"
expect "missing file" 1 "cannot open" "$NYUKI" btf dump "$tmp/none.o"
expect "unknown format" 2 "unknown format" "$NYUKI" btf dump "$tmp/types.o" format yaml
expect "btf help" 0 "btf dump \[file\] FILE" "$NYUKI" btf help

# ---- CO-RE -------------------------------------------------------------------

check_flags=""
if nm "$B/libnyuki.a" 2>/dev/null | grep -q __asan; then
	check_flags="-fsanitize=address,undefined"
fi
if ! out=$(cc -std=c11 -D_DEFAULT_SOURCE -O1 -g $check_flags -Iinclude -Isrc -o "$tmp/core_check" \
	tests/btf/core_check.c "$B/libnyuki.a" -lm 2>&1); then
	bad "core_check builds" "$out"
elif ! out=$(bpfcc -target bpf -c tests/btf/core_prog.c -o "$tmp/core_L.o") ||
	! out=$(bpfcc -target bpf -DTARGET_LAYOUT -c tests/btf/core_prog.c -o "$tmp/core_T.o") ||
	! out=$(bpfcc -target bpf -DTARGET_LAYOUT -c tests/btf/core_target.c -o "$tmp/target.o") ||
	! out=$(bpfcc -target bpfeb -c tests/btf/core_prog.c -o "$tmp/core_L_be.o") ||
	! out=$(bpfcc -target bpfeb -DTARGET_LAYOUT -c tests/btf/core_target.c -o "$tmp/target_be.o"); then
	bad "CO-RE programs build" "$out"
else
	ok "core_check and the CO-RE programs build"
	"$tmp/core_check" "$tmp/core_L.o" "$tmp/target.o" >"$tmp/L.out" 2>&1
	"$tmp/core_check" "$tmp/core_T.o" "$tmp/target.o" >"$tmp/T.out" 2>&1
	n=$(grep -c '^relo ' "$tmp/T.out")
	if [ "$n" -gt 50 ] && ! grep -E '^relo .*: (error|poisoned)' "$tmp/T.out" >/dev/null; then
		ok "the oracle build relocates cleanly against its own layout ($n relocations)"
	else
		bad "the oracle build relocates cleanly against its own layout" "$(grep -E 'error|poisoned' "$tmp/T.out")"
	fi
	for sec in $(grep -oE '^run core/[a-z_]+' "$tmp/T.out" | cut -d' ' -f2); do
		want=$(grep "^run $sec " "$tmp/T.out")
		got=$(grep "^run $sec " "$tmp/L.out")
		if [ -n "$got" ] && [ "$got" = "$want" ] && ! grep -q error <<<"$got" &&
			! grep -E "^relo $sec .*: (error|poisoned)" "$tmp/L.out" >/dev/null; then
			ok "CO-RE $sec: relocated to the target layout, same result (${got#*r0=})"
		else
			bad "CO-RE $sec: relocated to the target layout" "want: $want
got:  $got
$(grep "^relo $sec " "$tmp/L.out")"
		fi
	done
	# expect_core NAME SECTION R0 [MESSAGE]
	expect_core() {
		local name=$1 sec=$2 r0=$3 msg=${4:-}
		if grep -qx "run $sec r0=$r0" "$tmp/L.out" && { [ -z "$msg" ] || grep -q -- "$msg" "$tmp/L.out"; }; then
			ok "CO-RE $name"
		else
			bad "CO-RE $name" "$(grep -E "^(relo|run) $sec " "$tmp/L.out")"
		fi
	}
	expect_core "missing field, guarded by field_exists: not reached" miss/guarded 0x1092 \
		"relo miss/guarded insn 3 byte_off 0:10: poisoned (-3) insn 3: CO-RE byte_off of struct core_task.gone: struct core_task has no field 'gone' in the target BTF"
	expect_core "missing field, unguarded: the poisoned call runs" miss/unguarded 0xbad \
		"relo miss/unguarded insn 0 byte_off 0:10: poisoned"
	expect_core "missing enum value, guarded" miss/enum 0x4d "relo miss/enum insn 1 enumval_exists 2: ok"
	expect_core "missing enum value: poisoned, named" miss/enumval 0xbad \
		"CO-RE enumval_value of enum core_state::ST_DEAD: enum core_state has no value 'ST_DEAD' in the target BTF"
	expect_core "missing type: exists and size give 0" miss/type 0xa
	"$tmp/core_check" "$tmp/core_L.o" "$tmp/target.o" --insns | grep -v '^run' >"$tmp/le.insns" 2>&1
	"$tmp/core_check" "$tmp/core_L_be.o" "$tmp/target_be.o" --insns | grep -v '^run' >"$tmp/be.insns" 2>&1
	if [ -s "$tmp/le.insns" ] && out=$(diff "$tmp/le.insns" "$tmp/be.insns"); then
		ok "big-endian objects and targets relocate to the same instructions"
	else
		bad "big-endian objects and targets relocate to the same instructions" "$out"
	fi
	layout_check "core_target.o" "$tmp/target.o"
	if [ -n "$gcc_bpf" ]; then
		if out=$($gcc_bpf -gbtf -O2 -mco-re -Itests/btf -c tests/btf/core_prog.c -o "$tmp/core_gcc.o" 2>&1); then
			"$tmp/core_check" "$tmp/core_gcc.o" "$tmp/target.o" >"$tmp/G.out" 2>&1
			n=0 bad_secs=""
			for sec in $(grep -oE '^run core/[a-z_]+' "$tmp/G.out" | cut -d' ' -f2); do
				n=$((n + 1))
				[ "$(grep "^run $sec " "$tmp/G.out")" = "$(grep "^run $sec " "$tmp/T.out")" ] || bad_secs="$bad_secs $sec"
			done
			if [ "$n" -ge 5 ] && [ -z "$bad_secs" ] && ! grep -qE '^relo .*: (error|poisoned)' "$tmp/G.out"; then
				ok "CO-RE from gcc ($gcc_bpf): $n programs relocated, same results as clang's oracle"
			else
				bad "CO-RE from gcc ($gcc_bpf):$bad_secs" "$(cat "$tmp/G.out")"
			fi
		else
			bad "core_prog.c builds with $gcc_bpf" "$out"
		fi
	fi
fi

# ---- the running kernel's BTF ------------------------------------------------

vmlinux=/sys/kernel/btf/vmlinux
if [ -r "$vmlinux" ]; then
	start=$(date +%s%N)
	if "$NYUKI" btf dump "$vmlinux" >"$tmp/vmlinux.raw" 2>"$tmp/err"; then
		end=$(date +%s%N)
		ok "vmlinux: parsed and dumped ($(grep -c '^\[' "$tmp/vmlinux.raw") types, $(((end - start) / 1000000)) ms)"
	else
		bad "vmlinux: parsed and dumped" "$(cat "$tmp/err")"
	fi
	if [ "$have_bpftool" = 1 ]; then
		if out=$(diff <(bpftool btf dump file "$vmlinux" 2>&1) "$tmp/vmlinux.raw" | head -20) && [ -z "$out" ]; then
			ok "vmlinux: raw dump equals bpftool btf dump"
		else
			bad "vmlinux: raw dump equals bpftool btf dump" "$out"
		fi
	else
		skipped "vmlinux raw dump vs bpftool (apt-get install bpftool)"
	fi
	# va_list is a struct in the kernel and a pointer for BPF: structs holding one cannot keep their size.
	layout_check "vmlinux" "$vmlinux" warn_args
else
	skipped "vmlinux: $vmlinux is not readable here"
fi

finish
