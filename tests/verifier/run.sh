#!/usr/bin/env bash
# The verifier judged: every program of the corpus (tests/verifier/accept,
# tests/verifier/reject) gets the verdict its header expects from
# `nyuki prog verify`, with the expected reason; where the kernel may load
# programs, the kernel's verifier must agree (accept vs refuse) unless the
# file says `kernel: skip` or is listed in tests/verifier/kernel-differences.txt;
# every program of tests/progs is accepted as `nyuki prog run` verifies it;
# and every XDP program of bench/progs (NAME_xdp) that the kernel accepts is
# accepted too (see "bench/progs" below).
#
# Usage: tests/verifier/run.sh [path/to/nyuki]
#   ends with "verifier: N passed, N failed[, N skipped]"
#   NYK_VERIFIER=REGEX      only corpus files (and tests/progs programs) whose path matches
#   NYK_VERIFIER_KERNEL=0   do not compare with the kernel
#   NYK_VERIFIER_PROGS=0    skip the tests/progs section
#   NYK_VERIFIER_BENCH=0    skip the bench/progs section
#   NYK_VERIFIER_OUT=DIR    where objects go (default: DIR-OF-NYUKI/verifier)
#
# Corpus headers, in the first lines of each file (# for .s, // for .c):
#   type: TYPE               assembly only: the program type (default: raw memory);
#                            C programs take it from their section
#   expect: accept
#   expect: reject TEXT      refused, and TEXT (literal) is in the reason
#   flags: WORD...           each becomes --WORD (privileged, kernel-helpers)
#   kernel: skip WHY         not comparable with the kernel
#   cflags: FLAGS            extra clang flags (C only; default -mcpu=v3)
#
# Kernel comparisons: an accepted program must load as root (--privileged);
# a refused one must be refused as root or, unless flagged privileged, by a
# loader without CAP_PERFMON (the kernel's unprivileged rules: pointer leaks).
# Refusals only because `prog verify --kernel` loads no full BTF (global
# functions, kfuncs) are reported as skipped.
#
# tests/progs: each `//! case` is verified as `prog run` would verify it
# (its PROG, `type` and `--btf` arguments, privileged); cases that expect
# an `error` are deliberately bad (unknown helper, missing function, ...)
# and are not judged here.
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
NYUKI=${1:-build/nyuki}
case $NYUKI in /*) ;; *) NYUKI=$root/$NYUKI ;; esac
out=${NYK_VERIFIER_OUT:-$(dirname "$NYUKI")/verifier}
mkdir -p "$out/corpus" "$out/progs" "$out/bench" || exit 1
differences=tests/verifier/kernel-differences.txt
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && sed 's/^/     /' <<<"$2" | head -20
	fail=$((fail + 1))
}
skipped() { echo "skip $1${2:+: $2}"; skip=$((skip + 1)); }

if [ ! -x "$NYUKI" ]; then
	echo "verifier: 0 passed, 1 failed ($NYUKI is not built)"
	exit 1
fi

# Compilers ----------------------------------------------------------------------
have_clang=1
command -v clang >/dev/null 2>&1 || have_clang=0
multiarch=/usr/include/$(uname -m)-linux-gnu
# The flags tests/progs/run.sh builds with, and the corpus's own include directory.
common_flags=(-O2 -g -Wall -Wno-unused-function -Iinclude -Itests/progs -Itests/verifier/include)
[ -d "$multiarch" ] && common_flags+=(-I"$multiarch")

# header FILE KEY: the value of `# KEY: ...` / `// KEY: ...` in the first 12 lines.
header() {
	awk -v k="$2" 'NR > 12 { exit }
		{ line = $0; sub(/^[ \t]*(#|\/\/)[ \t]*/, "", line)
		  if (line != $0 && index(line, k ":") == 1) {
			line = substr(line, length(k) + 2); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line)
			print line; exit } }' "$1"
}

# compile SRC OBJ EXTRA-FLAGS: rebuilt when older than its source or the shared header.
compile() {
	local src=$1 obj=$2 flags=$3
	if [ -f "$obj" ] && [ "$obj" -nt "$src" ] && [ "$obj" -nt tests/verifier/include/vt.h ] &&
		[ "$obj" -nt tests/verifier/run.sh ]; then
		return 0
	fi
	# shellcheck disable=SC2086
	clang -target bpf "${common_flags[@]}" $flags -c "$src" -o "$obj" 2>"$obj.log" || {
		rm -f "$obj"
		return 1
	}
}

# The kernel -----------------------------------------------------------------------
kernel_why=
if [ "${NYK_VERIFIER_KERNEL:-1}" = 0 ]; then
	kernel_why="kernel comparison turned off (NYK_VERIFIER_KERNEL=0)"
else
	printf 'r0 = 2\nexit\n' >"$out/probe.s"
	probe=$("$NYUKI" prog verify "$out/probe.s" type xdp --kernel --privileged 2>&1)
	case $probe in
	*"kernel: accepted"*) ;;
	SKIPPED:*) kernel_why=${probe#SKIPPED: } ;;
	*) kernel_why="the kernel refuses a trivial XDP program: $probe" ;;
	esac
fi
if [ -n "$kernel_why" ]; then
	echo "SKIPPED: $kernel_why"
	[ "${NYK_VERIFIER_KERNEL:-1}" != 0 ] && skip=$((skip + 1))
fi

# listed_difference FILE: the reason tests/verifier/kernel-differences.txt gives, or nothing.
listed_difference() {
	local rel=${1#tests/verifier/}
	[ -f "$differences" ] || return 0
	awk -v a="$1" -v b="$rel" '
		/^[[:space:]]*(#|$)/ { next }
		{ i = index($0, ":"); if (!i) next; p = substr($0, 1, i - 1); gsub(/[[:space:]]/, "", p)
		  if (p == a || p == b) { r = substr($0, i + 1); sub(/^[[:space:]]+/, "", r); print r; exit } }
	' "$differences"
}

# kernel_verdict FILE ARGS...: "accepted", "refused: REASON" or "skipped: WHY" from `prog verify --kernel`.
kernel_verdict() {
	local file=$1 o
	shift
	o=$("$NYUKI" prog verify "$file" "$@" --kernel 2>&1)
	case $o in
	*SKIPPED:*) echo "skipped: $(sed -n 's/^SKIPPED: [^:]*: //p' <<<"$o" | head -n 1)" ;;
	*"kernel: refused"*) echo "refused: $(sed -n 's/.*kernel: refused[^:]*: //p' <<<"$o" | head -n 1)" ;;
	*"kernel: accepted"*) echo accepted ;;
	*) echo "error: $(head -n 3 <<<"$o" | tr '\n' ' ')" ;;
	esac
}

# compare_kernel LABEL SOURCE FILE EXPECT PRIVILEGED ARGS...: the kernel agrees with the expectation?
compare_kernel() {
	local label="$1 (kernel)" src=$2 file=$3 expect=$4 privileged=$5 why v
	shift 5
	why=$(header "$src" kernel)
	if [ "${why%% *}" = skip ]; then
		why=${why#skip}
		skipped "$label" "${why# }"
		return
	fi
	why=$(listed_difference "$src")
	if [ -n "$why" ]; then
		skipped "$label" "listed difference: $why"
		return
	fi
	# Root loads are privileged: try that first; a refusal that only comes
	# without CAP_PERFMON (pointer leaks) still agrees with an unprivileged reject.
	v=$(kernel_verdict "$file" "$@" --privileged)
	if [ "$expect" = reject ] && [ "$v" = accepted ] && [ "$privileged" = 0 ]; then
		v=$(kernel_verdict "$file" "$@")
		[ "$v" != accepted ] && v="$v (unprivileged)"
	fi
	case $expect:$v in
	accept:accepted | reject:refused*) ok "$label" ;;
	accept:refused*"btf func_info"* | accept:refused*"to have BTF"* | accept:refused*"requires BTF"*)
		# `prog verify --kernel` loads only a minimal BTF (callbacks, spin
		# locks): global functions and the like cannot be compared.
		skipped "$label" "the kernel needs the object's BTF for this (${v#refused: })" ;;
	*:skipped*) skipped "$label" "${v#skipped: }" ;;
	accept:refused*) bad "$label: nyuki expects accept, the kernel refuses: ${v#refused: }" ;;
	reject:accepted) bad "$label: nyuki expects reject, the kernel accepts it" ;;
	*) bad "$label: $v" ;;
	esac
}

# The corpus -------------------------------------------------------------------------
corpus=()
for f in tests/verifier/accept/*.s tests/verifier/accept/*.c tests/verifier/reject/*.s tests/verifier/reject/*.c; do
	[ -f "$f" ] || continue
	[[ -n "${NYK_VERIFIER:-}" && ! $f =~ ${NYK_VERIFIER} ]] && continue
	corpus+=("$f")
done

# Build the C programs two at a time (clang is the slow part).
c_files=()
for f in "${corpus[@]}"; do [[ $f == *.c ]] && c_files+=("$f"); done
if [ ${#c_files[@]} -gt 0 ] && [ "$have_clang" = 1 ]; then
	export -f compile header
	export out
	export common_flags_str="${common_flags[*]}"
	printf '%s\n' "${c_files[@]}" | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 bash -c '
		read -ra common_flags <<<"$common_flags_str"
		src=$1 dir=$(basename "$(dirname "$1")") name=$(basename "$1" .c)
		flags=$(header "$src" cflags)
		[ -z "$flags" ] && flags=-mcpu=v3
		compile "$src" "$out/corpus/$dir-$name.o" "$flags" || true' _
fi

for f in "${corpus[@]}"; do
	dir=$(basename "$(dirname "$f")")
	label=${f#tests/verifier/}
	expect_line=$(header "$f" expect)
	expect=${expect_line%% *}
	reason=
	[ "$expect" = reject ] && reason=${expect_line#reject} && reason=${reason# }
	if [ "$expect" != accept ] && [ "$expect" != reject ]; then
		bad "$label: no '# expect: accept' or '# expect: reject REASON' header"
		continue
	fi
	if [ "$expect" = reject ] && [ -z "$reason" ]; then
		bad "$label: '# expect: reject' needs the text the reason must contain"
		continue
	fi
	if [ "$dir" != "$expect" ]; then
		bad "$label: in $dir/ but expects $expect"
		continue
	fi
	args=()
	privileged=0
	for w in $(header "$f" flags); do
		args+=("--$w")
		[ "$w" = privileged ] && privileged=1
	done
	target=$f
	if [[ $f == *.c ]]; then
		if [ "$have_clang" = 0 ]; then
			skipped "$label" "clang not installed"
			continue
		fi
		target=$out/corpus/$dir-$(basename "$f" .c).o
		if [ ! -f "$target" ]; then
			bad "$label: clang build" "$(cat "$target.log" 2>/dev/null)"
			continue
		fi
	else
		t=$(header "$f" type)
		[ -n "$t" ] && args+=(type "$t")
	fi
	o=$("$NYUKI" prog verify "$target" "${args[@]}" 2>&1)
	rc=$?
	first=$(grep -v '^  ' <<<"$o" | head -n 3)
	if [ "$expect" = accept ]; then
		if [ "$rc" -eq 0 ]; then
			ok "$label"
		else
			bad "$label: expected accept, nyuki (exit $rc): $first" "$(grep '^  ' <<<"$o")"
		fi
	elif [ "$rc" -ne 1 ]; then
		bad "$label: expected reject '$reason', nyuki (exit $rc): $first"
	elif ! grep -v '^  ' <<<"$o" | grep -qF -- "$reason"; then
		bad "$label: expected reject '$reason', nyuki refused it differently: $first" "$(grep '^  ' <<<"$o")"
	else
		ok "$label"
	fi
	[ -z "$kernel_why" ] && compare_kernel "$label" "$f" "$target" "$expect" "$privileged" "${args[@]}"
done

# tests/progs: what `prog run` verifies must be accepted --------------------------------
# file_directive FILE WORD: the file-level `//! WORD ...` argument (as tests/progs/run.sh reads it).
file_directive() {
	awk -v w="$2" '/^\/\/! case /{exit} $1=="//!" && $2==w {sub(/^\/\/! [^ ]+ ?/,""); print; exit}' "$1"
}

# progs_cases SRC: one line per case that is expected to run: "PROG|TYPE|BTF" (fields may be empty).
progs_cases() {
	awk '
		function flush() {
			if (incase && !err) print prog "|" type "|" btf
		}
		$1 == "//!" && $2 == "case" { flush(); incase = 1; prog = ""; type = ""; btf = ""; err = 0; next }
		$1 == "//!" && $2 == "prog" { prog = $3; next }
		$1 == "//!" && $2 == "error" { err = 1; next }
		$1 == "//!" && $2 == "args" {
			for (i = 3; i < NF; i++) {
				if ($i == "type" || $i == "--type") type = $(i + 1)
				if ($i == "--btf" || $i == "btf") btf = $(i + 1)
			}
		}
		END { flush() }
	' "$1" | sort -u
}

if [ "${NYK_VERIFIER_PROGS:-1}" != 0 ] && [ "$have_clang" = 1 ]; then
	for src in tests/progs/*.c; do
		name=$(basename "$src" .c)
		flags=$(file_directive "$src" cflags)
		# shellcheck disable=SC2086
		if ! clang -target bpf "${common_flags[@]}" $flags -c "$src" -o "$out/progs/$name.o" \
			2>"$out/progs/$name.log"; then
			[[ -n "${NYK_VERIFIER:-}" && ! $src =~ ${NYK_VERIFIER} ]] && continue
			bad "progs/$name: clang build" "$(cat "$out/progs/$name.log")"
		fi
	done
	for src in tests/progs/*.c; do
		name=$(basename "$src" .c)
		[[ -n "${NYK_VERIFIER:-}" && ! $src =~ ${NYK_VERIFIER} ]] && continue
		[ -n "$(file_directive "$src" companion)" ] && continue   # not run on its own
		[ -f "$out/progs/$name.o" ] || continue
		while IFS='|' read -r prog type btf; do
			args=()
			label="progs/$name"
			[ -n "$prog" ] && args+=("$prog") && label+=" $prog"
			[ -n "$type" ] && args+=(type "$type") && label+=" (type $type)"
			if [ -n "$btf" ]; then
				args+=(--btf "$out/progs/${btf#@}")
				label+=" (--btf ${btf#@})"
			fi
			# As `prog run` verifies: privileged (pointers cannot leak out of this process).
			o=$("$NYUKI" prog verify "$out/progs/$name.o" "${args[@]}" --privileged 2>&1)
			rc=$?
			if [ "$rc" -eq 0 ]; then
				ok "$label"
			else
				bad "$label: refused (exit $rc): $(grep -v '^  ' <<<"$o" | head -n 3)" "$(grep '^  ' <<<"$o")"
			fi
		done < <(progs_cases "$src")
	done
elif [ "$have_clang" = 0 ]; then
	echo "SKIPPED: clang not installed"
	skip=$((skip + 1))
fi

# bench/progs: the benchmark XDP programs the kernel accepts must verify -------------------
# Built as the benchmarks build them, verified privileged as type xdp. Where the
# kernel may load programs, its verdict decides which are judged: those it
# refuses are skipped with its reason. Without the kernel, the programs below
# are skipped as known to be refused by it (loops it cannot walk within its
# budget, or stack and packet use it does not prove).
bench_kernel_refuses="crc32 isort checksum collatz"
if [ "${NYK_VERIFIER_BENCH:-1}" != 0 ] && [ "$have_clang" = 1 ]; then
	for src in bench/progs/*.c; do
		name=$(basename "$src" .c)
		[[ -n "${NYK_VERIFIER:-}" && ! $src =~ ${NYK_VERIFIER} ]] && continue
		obj=$out/bench/$name.o
		if ! clang -O2 -g -target bpf -mcpu=v3 -Ibench/progs -c "$src" -o "$obj" 2>"$obj.log"; then
			bad "bench/$name: clang build" "$(cat "$obj.log")"
			continue
		fi
		progs=$(llvm-objdump -t "$obj" 2>/dev/null | awk '$2 == "g" && $3 == "F" && $NF ~ /_xdp$/ { print $NF }')
		[ -z "$progs" ] && progs=${name}_xdp
		for prog in $progs; do
			label="bench/$name $prog"
			if [ -z "$kernel_why" ]; then
				v=$(kernel_verdict "$obj" "$prog" type xdp --privileged)
				case $v in
				accepted) ;;
				refused*)
					skipped "$label" "the kernel refuses it: ${v#refused: }"
					continue ;;
				*)
					skipped "$label" "${v#skipped: }"
					continue ;;
				esac
			elif [[ " $bench_kernel_refuses " == *" $name "* ]]; then
				skipped "$label" "known to be refused by the kernel"
				continue
			fi
			o=$("$NYUKI" prog verify "$obj" "$prog" type xdp --privileged 2>&1)
			rc=$?
			if [ "$rc" -eq 0 ]; then
				ok "$label"
			else
				bad "$label: the kernel accepts it, nyuki refuses (exit $rc): $(grep -v '^  ' <<<"$o" | head -n 3)" \
					"$(grep '^  ' <<<"$o")"
			fi
		done
	done
fi

if [ "$skip" -gt 0 ]; then
	echo "verifier: $pass passed, $fail failed, $skip skipped"
else
	echo "verifier: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
