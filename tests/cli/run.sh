#!/usr/bin/env bash
# Behaviour of the nyuki command as a user meets it: grammar, help, errors,
# asm/disasm round trips, prog run on text, raw bytecode and ELF objects.
# Usage: tests/cli/run.sh [path/to/nyuki]   ends with "cli: N passed, N failed"
set -u
cd "$(dirname "$0")/../.."
NYUKI=${1:-build/nyuki}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; fail=$((fail + 1)); }

# expect NAME STATUS PATTERN CMD...: run CMD, want exit STATUS and PATTERN (grep -E) in stdout+stderr.
expect() {
	local name=$1 want=$2 pattern=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name (exit $rc, wanted $want)" "$out"
	elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
		bad "$name (no /$pattern/ in output)" "$out"
	else
		ok "$name"
	fi
}

expect "no arguments is a usage error" 2 "Usage: " "$NYUKI"
expect "help" 0 "OBJECT := " "$NYUKI" help
expect "--help" 0 "OBJECT := " "$NYUKI" --help
expect "version" 0 "^nyuki [0-9]" "$NYUKI" version
expect "version json" 0 '^\{"version":"' "$NYUKI" -j version
expect "unknown object" 2 "Error: unknown object 'bogus'" "$NYUKI" bogus
expect "unknown global option" 2 "Usage: " "$NYUKI" --bogus prog help
expect "prog help" 0 "prog run FILE" "$NYUKI" prog help
expect "unknown prog command" 2 "Error: unknown command 'fly'" "$NYUKI" prog fly
expect "prog run without file" 2 "needs a FILE" "$NYUKI" prog run
expect "prog run bad option" 2 "unknown or incomplete option '--nope'" "$NYUKI" prog run examples/fib.s --nope
expect "prog run missing file" 1 "cannot open 'missing.s'" "$NYUKI" prog run missing.s
expect "fib(50)" 0 "Return value: 0x2ee333961 \(12586269025\)" "$NYUKI" prog run examples/fib.s
expect "prefixes like bpftool" 0 "Return value: 0x2ee333961" "$NYUKI" p r examples/fib.s
expect "json run" 0 '"retval":12586269025' "$NYUKI" -j prog run examples/fib.s
expect "pretty json run" 0 '^    "retval": 12586269025,' "$NYUKI" -p prog run examples/fib.s
expect "checksum of an IPv4 header" 0 "Return value: 0xb1e6" "$NYUKI" prog run examples/checksum.s \
	--mem-hex "45 00 00 3c 1c 46 40 00 40 06 00 00 ac 10 0a 63 ac 10 0a 0c"
expect "bad --mem-hex" 2 "not a list of hex bytes" "$NYUKI" prog run examples/checksum.s --mem-hex "4g"
expect "trace shows changed registers" 0 " r1=0x32" "$NYUKI" prog run examples/fib.s --trace
expect "repeat" 0 "duration \(average\)" "$NYUKI" prog run examples/fib.s --repeat 10
expect "--interp counts instructions" 0 "Instructions executed: 356" "$NYUKI" prog run examples/fib.s --interp
expect "--jit and --interp together" 2 "either --jit or --interp" "$NYUKI" prog run examples/fib.s --jit --interp
if "$NYUKI" -j prog run examples/fib.s | grep -q '"executor":"jit"'; then
	expect "--jit runs machine code" 0 "Executor: jit" "$NYUKI" prog run examples/fib.s --jit
	expect "--jit --unchecked" 0 "Return value: 0x2ee333961" "$NYUKI" prog run examples/fib.s --jit --unchecked
	expect "prog dump jited" 0 "r1 = 50" "$NYUKI" prog dump examples/fib.s jited
	expect "prog dump jited json" 0 '"insns":\[' "$NYUKI" -j prog dump examples/fib.s jited --unchecked
fi

# Faults and budgets stop a program with a message naming the instruction.
printf 'r0 = *(u32 *)(r1 + 100)\nexit\n' >"$tmp/oob.s"
expect "out-of-bounds load is a clear error" 1 "insn 0" "$NYUKI" prog run "$tmp/oob.s" --mem-hex "00 01 02 03"
printf 'r0 = 0\nloop:\nr0 += 1\ngoto loop\n' >"$tmp/forever.s"
expect "instruction budget" 1 "insn 2: instruction budget of 1000 exhausted" "$NYUKI" prog run "$tmp/forever.s" \
	--budget 1000 --no-verify
expect "instruction budget, interpreter" 1 "insn 2: instruction budget of 1000 exhausted" "$NYUKI" prog run \
	"$tmp/forever.s" --budget 1000 --interp --no-verify
expect "out-of-bounds load, interpreter" 1 "insn 0" "$NYUKI" prog run "$tmp/oob.s" --mem-hex "00 01 02 03" --interp \
	--no-verify
expect "out-of-bounds load, checked run" 1 "insn 0" "$NYUKI" prog run "$tmp/oob.s" --mem-hex "00 01 02 03" --no-verify

# The verifier: prog run verifies first; prog verify says why, naming the instruction.
expect "prog run refuses what the verifier refuses" 1 "no-verify" "$NYUKI" prog run "$tmp/forever.s"
expect "prog verify accepts" 0 "verified \\(12 insns" "$NYUKI" prog verify examples/fib.s
expect "prog verify names the instruction" 1 "insn 0: r0 = \\*\\(u32 \\*\\)\\(r1 \\+ 100\\): context access off=100" \
	"$NYUKI" prog verify "$tmp/oob.s" type xdp
expect "prog verify json" 1 '"verified": *false' "$NYUKI" -j prog verify "$tmp/oob.s" type xdp
expect "prog verify loop" 1 "may not terminate" "$NYUKI" prog verify "$tmp/forever.s"
expect "prog verify bad type" 2 "type" "$NYUKI" prog verify "$tmp/oob.s" type no_such_type

# Assembly errors carry file:line:column.
printf 'r0 = 1\nr0 = = 2\nexit\n' >"$tmp/bad.s"
expect "asm error has file:line:col" 1 "bad.s:2:[0-9]+: " "$NYUKI" asm "$tmp/bad.s"
printf 'r0 = 1\n' >"$tmp/falls.s"
expect "fall-through is refused" 1 "falls through" "$NYUKI" prog run "$tmp/falls.s"

# Round trips: text -> bytes -> text -> bytes, in both syntaxes.
for syntax in c conformance; do
	if "$NYUKI" asm examples/checksum.s -o "$tmp/a.bin" &&
		"$NYUKI" disasm "$tmp/a.bin" --syntax $syntax --no-index >"$tmp/a.s" &&
		"$NYUKI" asm "$tmp/a.s" -o "$tmp/b.bin" && cmp -s "$tmp/a.bin" "$tmp/b.bin"; then
		ok "asm/disasm round trip ($syntax)"
	else
		bad "asm/disasm round trip ($syntax)" "$(cat "$tmp/a.s" 2>/dev/null)"
	fi
done
expect "raw bytecode runs" 0 "Return value: 0xb1e6" "$NYUKI" prog run "$tmp/a.bin" \
	--mem-hex "45 00 00 3c 1c 46 40 00 40 06 00 00 ac 10 0a 63 ac 10 0a 0c"
expect "asm prints hex" 0 "^b7 01 00 00 32 00 00 00$" "$NYUKI" asm examples/fib.s

# ELF objects: ours, and clang's.
expect "asm -o x.o writes ELF" 0 "" "$NYUKI" asm examples/fib.s -o "$tmp/fib.o"
expect "run our ELF object" 0 "Return value: 0x2ee333961" "$NYUKI" prog run "$tmp/fib.o"
if command -v llvm-objdump >/dev/null 2>&1; then
	expect "llvm-objdump reads our ELF" 0 "<main>:" llvm-objdump -d "$tmp/fib.o"
fi
if command -v clang >/dev/null 2>&1; then
	cat >"$tmp/sum.c" <<'CEOF'
int main(void)
{
	unsigned long s = 0;
	for (unsigned long i = 1; i <= 100; i++)
		s += i * i;
	return (int)s;
}
CEOF
	if clang -O2 -target bpf -c "$tmp/sum.c" -o "$tmp/sum.o" 2>"$tmp/clang.log"; then
		expect "run a clang-built object" 0 "Return value: 0x529ae \(338350\)" "$NYUKI" prog run "$tmp/sum.o"
		expect "disasm a clang-built object" 0 "exit" "$NYUKI" disasm "$tmp/sum.o"
	else
		bad "clang -target bpf" "$(cat "$tmp/clang.log")"
	fi
fi
printf '\177ELF\002\001\001' >"$tmp/trunc.o"
expect "truncated ELF is a clear error" 1 "trunc.o" "$NYUKI" prog run "$tmp/trunc.o"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
