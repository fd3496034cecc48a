#!/usr/bin/env bash
# BPF C programs compiled here at test time (clang, and gcc-bpf where
# installed) and run with nyuki (JIT and interpreter); where the kernel can
# run them too (BPF_PROG_TEST_RUN: xdp, tc, socket filter, cgroup_skb), run
# with bpftool and compared: return value, data_out, maps.
#
# Usage: tests/progs/run.sh [path/to/nyuki]
#   ends with "progs: N passed, N failed[, N skipped]"
#   NYK_PROGS=REGEX      only the programs whose file name matches
#   NYK_PROGS_KERNEL=0   do not compare with the kernel
#   NYK_PROGS_GCC=0      do not build with gcc-bpf
#   NYK_PROGS_INTERP=0   run each case once (default executor: the JIT where
#                        there is one), not again with --interp
#   NYK_PROGS_KEEP=DIR   keep the objects and outputs in DIR
#   NYK_PROGS_ORACLE=1   check the specs against the kernel only (no nyuki)
#
# Each program states its tests in `//!` lines at its top:
#   file level (before the first case):
#     cflags FLAGS         extra compiler flags
#     gcc skip REASON      gcc-bpf cannot build it (reported as skipped)
#     gcc-args ARGS...     more `nyuki prog run` arguments for gcc's object
#                          (--no-verify where nyuki's verifier, like the
#                          kernel's, refuses gcc's code; say why)
#     companion            not run: an object other programs use (@NAME.o)
#   per case:
#     case NAME            starts a case
#     prog PROG            program to run (default: the only/first one)
#     data HEX...          data_in bytes (lines add up)
#     ctx HEX...           ctx_in bytes (lines add up)
#     args ARGS...         more `nyuki prog run` arguments; @x.o is the
#                          object built from x.c by the same compiler
#     retval N             expected return value
#     data_out HEX...      expected data_out
#     ctx_out HEX...       expected ctx_out
#     ctx_out_at OFF HEX   expected bytes of ctx_out at byte offset OFF
#     map NAME KEY = VALUE expected map entry after the run (hex)
#     nomap NAME KEY       the key is not in the map
#     var NAME = HEX       a global variable's bytes after the run (the same
#                          for every compiler, unlike a data section's layout)
#     event MAP HEX        a ring buffer / perf event record
#     stdout REGEX         in the text output (grep -E)
#     stderr REGEX         in stderr (bpf_printk goes there)
#     error REGEX          the run fails (exit 1) with this message
#     kernel [MAP...]      compare retval, data_out and these maps with the
#                          kernel (same object, bpftool prog run)
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
NYUKI=${1:-build/nyuki}
case $NYUKI in /*) ;; *) NYUKI=$root/$NYUKI ;; esac
if [ -n "${NYK_PROGS_KEEP:-}" ]; then
	tmp=$NYK_PROGS_KEEP
	mkdir -p "$tmp"
else
	tmp=$(mktemp -d)
fi
pin_base=/sys/fs/bpf/nyk-test-$$
cleanup() {
	rm -rf "$pin_base"-* 2>/dev/null
	[ -z "${NYK_PROGS_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && sed 's/^/     /' <<<"$2" | head -40
	fail=$((fail + 1))
}
skipped() { echo "skip $1${2:+: $2}"; skip=$((skip + 1)); }

hexclean() { tr -d ' \n' <<<"$*" | tr 'A-F' 'a-f'; }
hex2file() {
	local h
	h=$(hexclean "$1")
	# shellcheck disable=SC2059
	printf "$(sed 's/../\\x&/g' <<<"$h")" >"$2"
}

# Compilers -------------------------------------------------------------------
if ! command -v clang >/dev/null 2>&1; then
	echo "SKIPPED: clang not installed"
	echo "progs: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
# The system's python3 when there is one: version-manager shims start slowly.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if ! command -v "$PY" >/dev/null 2>&1; then
	echo "progs: 0 passed, 1 failed (python3 is needed)"
	exit 1
fi
multiarch=/usr/include/$(uname -m)-linux-gnu
common_flags=(-O2 -g -Wall -Wno-unused-function -Iinclude -Itests/progs)
[ -d "$multiarch" ] && common_flags+=(-I"$multiarch")
compilers=(clang)
if [ "${NYK_PROGS_GCC:-1}" != 0 ]; then
	if command -v bpf-gcc >/dev/null 2>&1; then
		compilers+=(gcc)
	else
		echo "SKIPPED: gcc-bpf not installed (programs built with clang only)"
	fi
fi

# file_directive FILE WORD: the file-level `//! WORD ...` argument.
file_directive() {
	awk -v w="$2" '/^\/\/! case /{exit} $1=="//!" && $2==w {sub(/^\/\/! [^ ]+ ?/,""); print; exit}' "$1"
}

compile() {   # compile COMPILER SRC OUT
	local cc=$1 src=$2 out=$3 flags
	flags=$(file_directive "$src" cflags)
	if [ "$cc" = clang ]; then
		# shellcheck disable=SC2086
		clang -target bpf "${common_flags[@]}" $flags -c "$src" -o "$out"
	else
		# shellcheck disable=SC2086
		bpf-gcc -gbtf -mco-re "${common_flags[@]}" -idirafter /usr/include $flags -c "$src" -o "$out"
	fi
}

programs=()
for src in tests/progs/*.c; do
	name=$(basename "$src" .c)
	[[ -n "${NYK_PROGS:-}" && ! $name =~ ${NYK_PROGS} && -z $(file_directive "$src" companion) ]] && continue
	programs+=("$name")
done

for cc in "${compilers[@]}"; do
	mkdir -p "$tmp/$cc"
	for name in "${programs[@]}"; do
		src=tests/progs/$name.c
		if [ "$cc" = gcc ] && [ -n "$(file_directive "$src" gcc)" ]; then
			continue   # reported per program below
		fi
		if ! compile "$cc" "$src" "$tmp/$cc/$name.o" >"$tmp/$cc/$name.log" 2>&1; then
			bad "$name: $cc build" "$(cat "$tmp/$cc/$name.log")"
			rm -f "$tmp/$cc/$name.o"
		fi
	done
done

# The kernel ------------------------------------------------------------------
kernel_why=
if [ "${NYK_PROGS_KERNEL:-1}" = 0 ]; then
	kernel_why="kernel comparison turned off (NYK_PROGS_KERNEL=0)"
elif ! command -v bpftool >/dev/null 2>&1; then
	kernel_why="bpftool not installed"
elif ! bpftool prog list >/dev/null 2>&1; then
	kernel_why="kernel bpf() not permitted"
else
	if ! grep -qs ' /sys/fs/bpf bpf ' /proc/mounts; then
		mount -t bpf bpf /sys/fs/bpf 2>/dev/null
	fi
	if ! grep -qs ' /sys/fs/bpf bpf ' /proc/mounts; then
		kernel_why="no bpf file system at /sys/fs/bpf (cannot pin)"
	fi
fi
[ -n "$kernel_why" ] && echo "SKIPPED: $kernel_why"

# Cases -----------------------------------------------------------------------
# State of the case being read.
reset_case() {
	c_name='' c_prog='' c_data='' c_ctx='' c_args='' c_retval='' c_data_out='' c_ctx_out='' c_error=''
	c_kernel=0 c_kernel_maps=
	c_maps=() c_nomaps=() c_events=() c_stdout=() c_stderr=() c_ctx_at=() c_vars=()
}

# nyuki_args COMPILER: the `nyuki prog run` arguments of the case (after FILE).
nyuki_args() {
	local cc=$1 a
	args=()
	[ -n "$c_prog" ] && args+=("$c_prog")
	[ -n "$c_data" ] && args+=(data_in "$tmp/case.in")
	[ -n "$c_ctx" ] && args+=(ctx_in "$tmp/case.ctx")
	# shellcheck disable=SC2086
	for a in $c_args; do
		[[ $a == *@*.o ]] && a=${a/@/$tmp/$cc/}
		args+=("$a")
	done
	if [ "$cc" = gcc ]; then
		local extra=()
		read -ra extra <<<"$(file_directive "tests/progs/$name.c" gcc-args)"
		args+=("${extra[@]}")
	fi
}

# spec_lines: the expected lines of the case, in normalize.py's form, in want[].
spec_lines() {
	local m mname rest
	want=()
	[ -n "$c_retval" ] && want+=("retval $(printf "%u" "$((c_retval))")")
	[ -n "$c_data_out" ] && want+=("data_out $(hexclean "$c_data_out")")
	[ -n "$c_ctx_out" ] && want+=("ctx_out $(hexclean "$c_ctx_out")")
	for m in "${c_maps[@]}"; do
		# "NAME KEY = VALUE" with spaces allowed inside KEY and VALUE
		mname=${m%% *} rest=${m#* }
		want+=("map $mname $(hexclean "${rest%%=*}") = $(hexclean "${rest#*=}")")
	done
	for m in "${c_vars[@]}"; do
		want+=("var ${m%% *} = $(hexclean "${m#*=}")")
	done
	for m in "${c_events[@]}"; do
		want+=("event ${m%% *} $(hexclean "${m#* }")")
	done
}

# run_nyuki OBJ COMPILER LABEL [EXECUTOR-OPTION]
run_nyuki() {
	local obj=$1 cc=$2 label=$3 out rc norm want line m
	nyuki_args "$cc"
	[ -n "${4:-}" ] && args+=("$4")
	if [ -n "$c_error" ]; then
		out=$("$NYUKI" prog run "$obj" "${args[@]}" 2>&1)
		rc=$?
		if [ "$rc" -ne 1 ]; then
			bad "$label (exit $rc, wanted 1)" "$out"
		elif ! grep -qE -- "$c_error" <<<"$out"; then
			bad "$label (no /$c_error/ in the error)" "$out"
		else
			ok "$label"
		fi
		return
	fi
	"$NYUKI" -j prog run "$obj" "${args[@]}" --dump-maps >"$tmp/case.json" 2>"$tmp/case.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "$label (exit $rc)" "$(cat "$tmp/case.err" "$tmp/case.json")"
		return
	fi
	if ! norm=$("$PY" tests/progs/normalize.py nyuki "$tmp/case.json" 2>&1); then
		bad "$label (unreadable JSON)" "$norm$(echo; cat "$tmp/case.json")"
		return
	fi
	printf '%s\n' "$norm" >"$tmp/case.$cc.norm"
	spec_lines
	for line in "${want[@]}"; do
		if ! grep -qxF -- "$line" <<<"$norm"; then
			bad "$label (wanted '$line')" "$norm$(echo; cat "$tmp/case.err")"
			return
		fi
	done
	for m in "${c_nomaps[@]}"; do
		if grep -q -- "^map ${m%% *} $(hexclean "${m#* }") = " <<<"$norm"; then
			bad "$label (key ${m#* } still in map ${m%% *})" "$norm"
			return
		fi
	done
	for m in "${c_ctx_at[@]}"; do
		local off=${m%% *} bytes got
		bytes=$(hexclean "${m#* }")
		got=$(sed -n 's/^ctx_out //p' <<<"$norm")
		got=${got:$((2 * off)):${#bytes}}
		if [ "$got" != "$bytes" ]; then
			bad "$label (ctx_out at $off: '$got', wanted '$bytes')" "$norm"
			return
		fi
	done
	for m in "${c_stderr[@]}"; do
		if ! grep -qE -- "$m" "$tmp/case.err"; then
			bad "$label (no /$m/ in stderr)" "$(cat "$tmp/case.err")"
			return
		fi
	done
	if [ ${#c_stdout[@]} -gt 0 ]; then
		out=$("$NYUKI" prog run "$obj" "${args[@]}" 2>&1)
		for m in "${c_stdout[@]}"; do
			if ! grep -qE -- "$m" <<<"$out"; then
				bad "$label (no /$m/ in the output)" "$out"
				return
			fi
		done
	fi
	ok "$label"
}

# run_kernel OBJ COMPILER LABEL: the same case through bpftool, compared with nyuki's.
run_kernel() {
	local obj=$1 cc=$2 label="$3 (kernel, $2)" pins=$pin_base-$RANDOM load_args=() run_args=() prog out m f
	local repeat="" type="" words i what
	[ "${NYK_PROGS_KERNEL:-1}" = 0 ] && return   # turned off on purpose: not counted
	if [ -n "$kernel_why" ]; then
		skipped "$label" "$kernel_why"
		return
	fi
	read -ra words <<<"$c_args"
	for ((i = 0; i < ${#words[@]}; i++)); do
		case ${words[i]} in
		repeat | --repeat) repeat=${words[i + 1]} ;;
		type | --type) type=${words[i + 1]} ;;
		esac
	done
	[ -n "$type" ] && load_args+=(type "$type")
	prog=$c_prog
	if [ -z "$prog" ]; then
		prog=$(llvm-objdump -t "$obj" 2>/dev/null | awk '$3 == "F" && $4 != ".text" {print $NF; exit}')
	fi
	if ! out=$(bpftool prog loadall "$obj" "$pins" "${load_args[@]}" pinmaps "$pins-maps" 2>&1); then
		if [ "$cc" != clang ]; then
			# The cases were checked with clang's objects in the kernel; what
			# the kernel refuses of gcc-bpf 12's (its BTF, callbacks) is gcc's.
			local why
			why=$(grep -B3 'END PROG LOAD LOG' <<<"$out" | grep -vE '^(processed|-- END|$)' | tail -n 1)
			[ -z "$why" ] && why=$(grep -E '^libbpf: ' <<<"$out" | grep -v 'BTF is optional' | tail -n 1)
			skipped "$label" "the kernel refuses gcc's object: ${why:0:110}"
			rm -rf "$pins" "$pins-maps"
			return
		fi
		bad "$label (bpftool prog loadall)" "$(tail -20 <<<"$out")"
		rm -rf "$pins" "$pins-maps"
		return
	fi
	if [ ! -e "$pins/$prog" ]; then
		# Pins are named after functions; the case may name a section.
		prog=$(llvm-objdump -t "$obj" 2>/dev/null | awk -v s="$prog" '$3 == "F" && $4 == s {print $NF; exit}')
	fi
	[ -n "$c_data" ] && run_args+=(data_in "$tmp/case.in" data_out "$tmp/kernel.out")
	[ -n "$c_ctx" ] && run_args+=(ctx_in "$tmp/case.ctx")
	[ -n "$repeat" ] && run_args+=(repeat "$repeat")
	rm -f "$tmp/kernel.out"
	if ! bpftool -j prog run pinned "$pins/$prog" "${run_args[@]}" >"$tmp/kernel.json" 2>"$tmp/kernel.err"; then
		bad "$label (bpftool prog run)" "$(cat "$tmp/kernel.err" "$tmp/kernel.json")"
		rm -rf "$pins" "$pins-maps"
		return
	fi
	if [ -n "$c_data" ]; then
		"$PY" tests/progs/normalize.py bpftool-run "$tmp/kernel.json" "$tmp/kernel.out" >"$tmp/kernel.norm"
	else
		"$PY" tests/progs/normalize.py bpftool-run "$tmp/kernel.json" >"$tmp/kernel.norm"
	fi
	# Compare with nyuki's result, or (without one: NYK_PROGS_ORACLE=1, or
	# nyuki failed) check the kernel against the spec's expectations.
	if [ -s "$tmp/case.$cc.norm" ]; then
		grep -E '^(retval|data_out) ' "$tmp/case.$cc.norm" >"$tmp/nyuki.cmp"
		for m in $c_kernel_maps; do
			grep -E "^map $m " "$tmp/case.$cc.norm" >>"$tmp/nyuki.cmp"
		done
		what="kernel and nyuki differ: - kernel, + nyuki"
	else
		spec_lines
		printf '%s\n' "${want[@]}" | grep -E '^(retval|data_out) ' >"$tmp/nyuki.cmp"
		for m in $c_kernel_maps; do
			printf '%s\n' "${want[@]}" | grep -E "^map $m " >>"$tmp/nyuki.cmp"
		done
		what="kernel and the spec differ: - kernel, + spec"
		label+=" [vs spec]"
	fi
	for m in $c_kernel_maps; do
		f=$pins-maps/$m
		# Global data maps are pinned as <object>_bss, _data_custom, ...
		[[ $m == .* ]] && f=$(ls -d "$pins-maps"/*"${m//./_}" 2>/dev/null | head -n 1)
		if [ -z "$f" ] || ! bpftool -j map dump pinned "$f" >"$tmp/kernel.map" 2>&1; then
			bad "$label (bpftool map dump $m)" "$(cat "$tmp/kernel.map" 2>/dev/null)"
			rm -rf "$pins" "$pins-maps"
			return
		fi
		"$PY" tests/progs/normalize.py bpftool-map "$m" "$tmp/kernel.map" >>"$tmp/kernel.norm"
	done
	rm -rf "$pins" "$pins-maps"
	if [ "$what" != "${what#*spec}" ]; then
		# The spec lists only some entries: each of its lines must be there.
		local missing
		missing=$(grep -vxF -f "$tmp/kernel.norm" "$tmp/nyuki.cmp")
		if [ -z "$missing" ]; then
			ok "$label"
		else
			bad "$label ($what)" "$missing$(echo; echo '-- kernel:'; cat "$tmp/kernel.norm")"
		fi
	elif diff -u "$tmp/kernel.norm" "$tmp/nyuki.cmp" >"$tmp/kernel.diff"; then
		ok "$label"
	else
		bad "$label ($what)" "$(tail -n +3 "$tmp/kernel.diff")"
	fi
}

finish_case() {
	local name=$1 cc obj
	[ -z "$c_name" ] && return
	hex2file "$c_data" "$tmp/case.in"
	hex2file "$c_ctx" "$tmp/case.ctx"
	rm -f "$tmp"/case.*.norm
	for cc in "${compilers[@]}"; do
		obj=$tmp/$cc/$name.o
		[ -f "$obj" ] || continue
		[ "${NYK_PROGS_ORACLE:-0}" = 1 ] && continue
		# The default executor (the JIT where there is one), then the interpreter.
		run_nyuki "$obj" "$cc" "$name/$c_name ($cc)"
		[ "${NYK_PROGS_INTERP:-1}" != 0 ] && run_nyuki "$obj" "$cc" "$name/$c_name ($cc, interp)" --interp
	done
	if [ "$c_kernel" = 1 ]; then
		for cc in "${compilers[@]}"; do
			[ -f "$tmp/$cc/$name.o" ] && run_kernel "$tmp/$cc/$name.o" "$cc" "$name/$c_name"
		done
	fi
}

for name in "${programs[@]}"; do
	src=tests/progs/$name.c
	[ -n "$(file_directive "$src" companion)" ] && continue
	if [ " ${compilers[*]} " = " clang gcc " ] && reason=$(file_directive "$src" gcc) && [ -n "$reason" ]; then
		skipped "$name (gcc)" "${reason#skip }"
	fi
	reset_case
	while IFS= read -r line; do
		set -f
		# shellcheck disable=SC2086
		set -- $line
		set +f
		shift   # //!
		word=${1:-}
		shift
		rest=${line#//! }
		rest=${rest#"$word"}
		rest=${rest# }
		case $word in
		case)
			finish_case "$name"
			reset_case
			c_name=$rest
			;;
		prog) c_prog=$rest ;;
		data) c_data+=" $rest" ;;
		ctx) c_ctx+=" $rest" ;;
		args) c_args+=" $rest" ;;
		retval) c_retval=$rest ;;
		data_out) c_data_out+=" $rest" ;;
		ctx_out) c_ctx_out+=" $rest" ;;
		ctx_out_at) c_ctx_at+=("$rest") ;;
		map) c_maps+=("$rest") ;;
		nomap) c_nomaps+=("$rest") ;;
		var) c_vars+=("$rest") ;;
		event) c_events+=("$rest") ;;
		stdout) c_stdout+=("$rest") ;;
		stderr) c_stderr+=("$rest") ;;
		error) c_error=$rest ;;
		kernel) c_kernel=1 c_kernel_maps=$rest ;;
		cflags | gcc | gcc-args | companion) ;;
		*) bad "$name: unknown directive '//! $word'" ;;
		esac
	done < <(grep -E '^//! ' "$src")
	finish_case "$name"
done

if [ "$skip" -gt 0 ]; then
	echo "progs: $pass passed, $fail failed, $skip skipped"
else
	echo "progs: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
