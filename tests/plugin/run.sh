#!/usr/bin/env bash
# Drive a conformance plugin the way an external runner (bpf_conformance)
# does: MEM as the first argument when the test has memory, options after it,
# --elf last; the program as hex bytes and a newline on stdin; r0 in hex on
# stdout and exit 0, or one line with the reason and a non-zero exit.
#
# Usage: tests/plugin/run.sh [path/to/plugin]     (default build/nyuki-conformance-plugin)
# Ends with "plugin: N passed, N failed[, N skipped]"; exits non-zero on failure.
#
# The protocol checks (results, exit codes, one-line errors) hold for any
# plugin; the error texts matched are nyuki's. ELF inputs come from
# `nyuki asm -o x.o` (the nyuki next to the plugin), from a small writer of
# the runner's own ELF layout compiled here, and from clang/gcc -target bpf.
set -u
cd "$(dirname "$0")/../.."
PLUGIN=${1:-build/nyuki-conformance-plugin}
NYUKI=${NYUKI:-$(dirname "$PLUGIN")/nyuki}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; fail=$((fail + 1)); }
skipped() { echo "skip $1"; skip=$((skip + 1)); }

if [ ! -x "$PLUGIN" ]; then
	bad "plugin '$PLUGIN' is not an executable (build it with make)"
	echo "plugin: $pass passed, $fail failed"
	exit 1
fi

# File bytes as the runner encodes them: "xx  " per byte.
hex_of() { od -An -v -tx1 "$1" | tr -s ' \n' '\n' | sed '/^$/d; s/$/  /' | tr -d '\n'; }

# run NAME STDIN ARGS...: run the plugin; sets $out (stdout), $err (stderr), $rc.
run() {
	local name=$1 input=$2
	shift 2
	out=$(printf '%s\n' "$input" | "$PLUGIN" "$@" 2>"$tmp/stderr")
	rc=$?
	err=$(cat "$tmp/stderr")
}

# expect_r0 NAME R0 STDIN ARGS...: success with r0 printed as the runner parses it (hex, no 0x).
expect_r0() {
	local name=$1 want=$2 input=$3
	shift 3
	run "$name" "$input" "$@"
	if [ "$rc" -ne 0 ]; then
		bad "$name (exit $rc, wanted 0)" "$out$err"
	elif [ "$out" != "$want" ]; then
		bad "$name (printed '$out', wanted '$want')" "$err"
	else
		ok "$name"
	fi
}

# expect_error NAME PATTERN STDIN ARGS...: non-zero exit, exactly one line on stdout matching PATTERN.
expect_error() {
	local name=$1 pattern=$2 input=$3
	shift 3
	run "$name" "$input" "$@"
	if [ "$rc" -eq 0 ]; then
		bad "$name (exit 0, wanted an error)" "$out"
	elif [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || [ -z "$out" ]; then
		bad "$name (wanted one line with the reason on stdout)" "stdout: $out
stderr: $err"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		bad "$name (no /$pattern/ in '$out')"
	else
		ok "$name"
	fi
}

# ---- raw programs (hex written here; the assembly is in the comments) -----

EXIT="95 00 00 00 00 00 00 00"
MOV_R0_42="b7 00 00 00 2a 00 00 00"                    # mov r0, 42
MEM="11  22  33  44  "                                 # the runner's encoding

expect_r0 "raw program, no memory" 2a "$MOV_R0_42 $EXIT"
expect_r0 "r1 points at the memory" 44332211 "61 10 00 00 00 00 00 00 $EXIT" "$MEM"   # ldxw r0, [r1]
expect_r0 "r2 holds its length" 4 "bf 20 00 00 00 00 00 00 $EXIT" "$MEM"              # mov r0, r2
expect_r0 "memory is writable" 7f \
	"72 01 00 00 7f 00 00 00 71 10 00 00 00 00 00 00 $EXIT" "$MEM"   # stb [r1], 0x7f; ldxb r0, [r1]
expect_r0 "no memory: r1 and r2 are 0" 0 \
	"bf 10 00 00 00 00 00 00 4f 20 00 00 00 00 00 00 $EXIT"           # mov r0, r1; or r0, r2
expect_r0 "64-bit result" 1122334455667788 \
	"18 00 00 00 88 77 66 55 00 00 00 00 44 33 22 11 $EXIT"           # lddw r0, 0x1122334455667788
expect_r0 "negative result prints all 64 bits" ffffffffffffffff "b7 00 00 00 ff ff ff ff $EXIT"
expect_r0 "helper 5 returns" 2 \
	"85 00 00 00 05 00 00 00 b7 00 00 00 02 00 00 00 $EXIT"           # call 5; mov r0, 2
expect_r0 "--executor interp after MEM" 44332211 "61 10 00 00 00 00 00 00 $EXIT" "$MEM" --executor interp
expect_r0 "--executor=interp" 2a "$MOV_R0_42 $EXIT" --executor=interp
expect_r0 "options in one argument (older runners)" 44332211 "61 10 00 00 00 00 00 00 $EXIT" "$MEM" \
	"--executor interp"
expect_r0 "empty MEM and options arguments (older runners)" 2a "$MOV_R0_42 $EXIT" "" ""
expect_r0 "empty words between options (split at single spaces)" 2a "$MOV_R0_42 $EXIT" --executor "" interp
expect_r0 "lenient hex: newlines, upper case, runs of digits" 2a "B7 00 00 00
2A000000
9500000000000000"
expect_r0 "lenient memory hex" 2211 "69 10 00 00 00 00 00 00 $EXIT" "0x11 22
33"                                                                     # ldxh r0, [r1]
expect_r0 "--program instead of stdin" 2a "" --program "$MOV_R0_42 $EXIT"
expect_r0 "jit executor" 2a "$MOV_R0_42 $EXIT" --executor jit
expect_r0 "jit executor with memory" 2211 "69 10 00 00 00 00 00 00 $EXIT" "11 22 33" --executor=jit
expect_error "jit: out-of-bounds load" "insn 0:" "61 10 00 01 00 00 00 00 $EXIT" "$MEM" --executor jit
expect_r0 "division by zero gives 0" 0 \
	"b7 00 00 00 05 00 00 00 37 00 00 00 00 00 00 00 $EXIT"          # mov r0, 5; div r0, 0

# ---- errors: one line, non-zero exit --------------------------------------------

expect_error "bad hex" "'zz' at offset 0 is not a hex byte" "zz 00"
expect_error "odd hex digits" "odd number of hex digits" "b7 000 00"
expect_error "bad memory hex" "^memory: .*not a hex byte" "$MOV_R0_42 $EXIT" "11 qq"
expect_error "truncated program" "12 bytes, not a multiple of 8" "$MOV_R0_42 95 00 00 00"
expect_error "empty program" "empty program" ""
expect_error "bad opcode" "insn 0: unknown opcode 0xff" "ff 00 00 00 00 00 00 00 $EXIT"
expect_error "program falls off the end" "insn 0" "$MOV_R0_42"
expect_error "unknown helper" "insn 0: .*99" "85 00 00 00 63 00 00 00 $EXIT"
expect_error "out-of-bounds load" "insn 0:" "61 10 00 01 00 00 00 00 $EXIT" "$MEM"   # ldxw r0, [r1+256]
expect_error "unknown option" "unknown option '--bogus'" "$MOV_R0_42 $EXIT" --bogus
expect_error "unknown executor" "unknown executor 'vm'" "$MOV_R0_42 $EXIT" --executor vm
expect_error "--executor without a value" "needs a value" "$MOV_R0_42 $EXIT" --executor
expect_error "stray argument after options" "unexpected argument 'extra'" "$MOV_R0_42 $EXIT" --elf extra
expect_error "--elf with raw code" "not an ELF object" "$MOV_R0_42 $EXIT" --elf
expect_error "ELF without --elf" "pass --elf" "7f 45 4c 46 02 01 01 00"

run "--help" "" --help
if [ "$rc" -eq 0 ] && grep -q "Usage:" <<<"$out"; then ok "--help"; else bad "--help (exit $rc)" "$out$err"; fi

# ---- ELF input ----------------------------------------------------------------------

# A writer of the runner's ELF layout (what ELFIO makes in bpf_conformance's
# bpf_writer): null, .shstrtab, .symtab linked to .shstrtab (no .strtab),
# the code section; one global function symbol. "be" writes big-endian.
cat >"$tmp/runner_elf.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int be;
static unsigned char out[1 << 16];
static void put(size_t at, unsigned long long v, int n)
{
	for (int i = 0; i < n; i++)
		out[at + (be ? (size_t)(n - 1 - i) : (size_t)i)] = (unsigned char)(v >> (8 * i));
}
static void shdr(size_t at, unsigned name, unsigned type, unsigned long long flags, size_t off, size_t size,
		 unsigned link, unsigned info, unsigned align, unsigned entsize)
{
	put(at, name, 4); put(at + 4, type, 4); put(at + 8, flags, 8); put(at + 24, off, 8);
	put(at + 32, size, 8); put(at + 40, link, 4); put(at + 44, info, 4); put(at + 48, align, 8);
	put(at + 56, entsize, 8);
}
int main(int argc, char **argv)
{
	static unsigned char code[1 << 15];
	const char *section = argc > 2 ? argv[2] : ".text";
	char names[256];
	size_t n = fread(code, 1, sizeof(code), stdin), nlen, sec_name, func_name, code_off, sym_off, sh_off;
	be = argc > 1 && !strcmp(argv[1], "be");
	/* "\0.shstrtab\0.symtab\0<section>\0main\0" */
	nlen = 0;
	names[nlen++] = 0;
	memcpy(names + nlen, ".shstrtab", 10); nlen += 10;
	memcpy(names + nlen, ".symtab", 8); nlen += 8;
	sec_name = nlen; memcpy(names + nlen, section, strlen(section) + 1); nlen += strlen(section) + 1;
	func_name = nlen; memcpy(names + nlen, "main", 5); nlen += 5;
	memcpy(out, "\177ELF", 4);
	out[4] = 2; out[5] = be ? 2 : 1; out[6] = 1;
	memcpy(out + 64, names, nlen);
	sym_off = (64 + nlen + 7) & ~(size_t)7;
	put(sym_off + 24, func_name, 4);
	out[sym_off + 24 + 4] = 0x12;                   /* STB_GLOBAL, STT_FUNC */
	put(sym_off + 24 + 6, 3, 2);
	put(sym_off + 24 + 16, n, 8);
	code_off = sym_off + 48;
	for (size_t i = 0; i + 8 <= n; i += 8) {        /* code: raw little-endian slots in, native order out */
		unsigned char *c = code + i, *o = out + code_off + i;
		o[0] = c[0];
		o[1] = be ? (unsigned char)(c[1] << 4 | c[1] >> 4) : c[1];
		put(code_off + i + 2, (unsigned)(c[2] | c[3] << 8), 2);
		put(code_off + i + 4, (unsigned long long)c[4] | (unsigned long long)c[5] << 8 |
			(unsigned long long)c[6] << 16 | (unsigned long long)c[7] << 24, 4);
	}
	sh_off = (code_off + n + 7) & ~(size_t)7;
	put(16, 1, 2); put(18, 247, 2); put(20, 1, 4); put(40, sh_off, 8); put(52, 64, 2);
	put(58, 64, 2); put(60, 4, 2); put(62, 1, 2);
	shdr(sh_off + 64, 1, 3, 0, 64, nlen, 0, 0, 1, 0);
	shdr(sh_off + 128, 11, 2, 0, sym_off, 48, 1, 1, 4, 24);
	shdr(sh_off + 192, (unsigned)sec_name, 1, 6, code_off, n, 0, 0, 4, 0);
	fwrite(out, 1, sh_off + 4 * 64, stdout);
	return 0;
}
EOF

# A little program over memory: r0 = mem[0] + mem[1] * 256 + r2 (length).
prog_hex="71 10 00 00 00 00 00 00 71 13 01 00 00 00 00 00 67 03 00 00 08 00 00 00 0f 30 00 00 00 00 00 00 0f 20 00 00 00 00 00 00 $EXIT"
printf '%s' "$prog_hex" | xxd -r -p >"$tmp/prog.bin" 2>/dev/null ||
	printf "$(sed 's/ *\([0-9a-f][0-9a-f]\)/\\x\1/g' <<<"$prog_hex")" >"$tmp/prog.bin"

if ! "$CC" -std=c11 -O1 -o "$tmp/runner_elf" "$tmp/runner_elf.c" 2>"$tmp/cc.log"; then
	bad "compile the runner-layout ELF writer" "$(cat "$tmp/cc.log")"
else
	"$tmp/runner_elf" le .text <"$tmp/prog.bin" >"$tmp/runner.o"
	expect_r0 "--elf, runner layout (.symtab linked to .shstrtab)" 40d "$(hex_of "$tmp/runner.o")" \
		"0a  04  00  " --elf
	"$tmp/runner_elf" le xdp <"$tmp/prog.bin" >"$tmp/runner-xdp.o"
	expect_r0 "--elf, runner layout, section xdp" 40d "$(hex_of "$tmp/runner-xdp.o")" "0a  04  00  " --elf
	"$tmp/runner_elf" be .text <"$tmp/prog.bin" >"$tmp/runner-be.o"
	expect_r0 "--elf, big-endian object" 40d "$(hex_of "$tmp/runner-be.o")" "0a  04  00  " --elf
	expect_r0 "--elf after options" 40d "$(hex_of "$tmp/runner.o")" "0a  04  00  " --executor interp --elf
	head -c 100 "$tmp/runner.o" >"$tmp/cut.o"
	expect_error "--elf, truncated object" "past end of file|truncated" "$(hex_of "$tmp/cut.o")" --elf
	if command -v readelf >/dev/null 2>&1; then
		if readelf -a "$tmp/runner.o" 2>&1 | grep -qi "warning\|error"; then
			bad "readelf reads the runner-layout test object" "$(readelf -a "$tmp/runner.o" 2>&1 | head)"
		else
			ok "readelf reads the runner-layout test object"
		fi
	fi
fi

# Objects written by nyk_elf_write, through `nyuki asm -o x.o`.
cat >"$tmp/prog.s" <<'EOF'
ldxb %r0, [%r1]
ldxb %r3, [%r1+1]
lsh %r3, 8
add %r0, %r3
add %r0, %r2
exit
EOF
if [ ! -x "$NYUKI" ]; then
	skipped "--elf with objects from 'nyuki asm' (no $NYUKI)"
elif ! "$NYUKI" asm "$tmp/prog.s" -o "$tmp/nyuki.o" >"$tmp/asm.log" 2>&1; then
	bad "$NYUKI asm prog.s -o prog.o" "$(cat "$tmp/asm.log")"
else
	expect_r0 "--elf, object from nyuki asm" 40d "$(hex_of "$tmp/nyuki.o")" "0a  04  00  " --elf
	"$NYUKI" asm "$tmp/prog.s" -o "$tmp/nyuki-xdp.o" --section xdp --func prog >/dev/null 2>&1
	expect_r0 "--elf, nyuki asm object without 'main'" 40d "$(hex_of "$tmp/nyuki-xdp.o")" "0a  04  00  " --elf
	for tool in "llvm-objdump -d" "readelf -a -W"; do
		set -- $tool
		if command -v "$1" >/dev/null 2>&1; then
			if "$@" "$tmp/nyuki-xdp.o" >"$tmp/tool.log" 2>&1 && ! grep -qi "warning\|error" "$tmp/tool.log" &&
				grep -q "prog" "$tmp/tool.log"; then
				ok "$1 reads nyk_elf_write's object"
			else
				bad "$1 reads nyk_elf_write's object" "$(head -20 "$tmp/tool.log")"
			fi
		fi
	done
fi

# Objects from the compilers on the machine (-target bpf, and bpfeb with clang).
cat >"$tmp/prog.c" <<'EOF'
__attribute__((section("xdp"), used)) int prog(unsigned char *mem, unsigned long len)
{
	return mem[0] + mem[1] * 256 + (int)len;
}
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF
cat >"$tmp/calls.c" <<'EOF'
static __attribute__((noinline)) int twice(int x) { return x * 2; }
__attribute__((section("tc"), used)) int calls(int x) { return twice(x) + 1; }
EOF
compilers=()
command -v clang >/dev/null 2>&1 && compilers+=("clang -target bpf" "clang -target bpfeb")
for gcc_bpf in bpf-unknown-none-gcc bpf-gcc; do
	command -v "$gcc_bpf" >/dev/null 2>&1 && compilers+=("$gcc_bpf") && break
done
[ ${#compilers[@]} -eq 0 ] && skipped "--elf with objects from clang/gcc (no BPF compiler on this machine)"
for compiler in "${compilers[@]}"; do
	obj="$tmp/cc-$(tr ' ' '_' <<<"$compiler").o"
	if ! $compiler -O2 -c "$tmp/prog.c" -o "$obj" 2>"$tmp/cc.log" ||
		! $compiler -O2 -c "$tmp/calls.c" -o "$obj-calls.o" 2>>"$tmp/cc.log"; then
		bad "$compiler -O2 -c compiles the test programs" "$(cat "$tmp/cc.log")"
		continue
	fi
	expect_r0 "--elf, object from $compiler" 40d "$(hex_of "$obj")" "0a  04  00  " --elf
	expect_error "--elf, $compiler object with a call that needs relocating" \
		"^function 'calls' has relocations" "$(hex_of "$obj-calls.o")" --elf
	# nyuki disasm reads the object as llvm-objdump does, line for line.
	if [ ! -x "$NYUKI" ]; then
		skipped "nyuki disasm of the $compiler object (no $NYUKI)"
		continue
	fi
	if ! "$NYUKI" disasm "$obj" --func prog --no-index >"$tmp/disasm.log" 2>&1; then
		bad "nyuki disasm of the $compiler object" "$(cat "$tmp/disasm.log")"
	elif command -v llvm-objdump >/dev/null 2>&1; then
		llvm-objdump -d --no-show-raw-insn "$obj" | grep -E '^ +[0-9]+:' |
			sed -E 's/^ +[0-9]+:[[:space:]]+//; s/ <[^>]*>$//' >"$tmp/objdump.log"
		if diff "$tmp/disasm.log" "$tmp/objdump.log" >"$tmp/diff.log"; then
			ok "nyuki disasm of the $compiler object matches llvm-objdump"
		else
			bad "nyuki disasm of the $compiler object matches llvm-objdump" "$(cat "$tmp/diff.log")"
		fi
	elif grep -q "exit" "$tmp/disasm.log"; then
		ok "nyuki disasm of the $compiler object"
	else
		bad "nyuki disasm of the $compiler object" "$(cat "$tmp/disasm.log")"
	fi
done

echo
if [ "$skip" -gt 0 ]; then
	echo "plugin: $pass passed, $fail failed, $skip skipped"
else
	echo "plugin: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
