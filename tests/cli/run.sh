#!/usr/bin/env bash
# Behaviour of the nyuki command as a user meets it: grammar, help, errors,
# asm/disasm round trips, prog run on text, raw bytecode and ELF objects.
# Usage: tests/cli/run.sh [path/to/nyuki]   ends with "cli: N passed, N failed"
set -u
cd "$(dirname "$0")/../.." || exit 1
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
	# By default the dump shows what prog run runs: unchecked code once the verifier accepts it.
	expect "prog dump jited: verified code is unchecked" 0 "unchecked mode, verified" \
		"$NYUKI" prog dump examples/fib.s jited
	expect "prog dump jited --checked" 0 "checked mode, as asked" "$NYUKI" prog dump examples/fib.s jited --checked
	expect "prog dump jited: refused code is checked" 0 "checked mode, not verified" \
		"$NYUKI" prog dump examples/xdp_unchecked.s jited
	expect "--checked and --unchecked together" 2 "either --checked or --unchecked" \
		"$NYUKI" prog run examples/fib.s --checked --unchecked
	expect "--checked keeps the budget" 0 "Return value: 0x2ee333961" "$NYUKI" prog run examples/fib.s --checked
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

# prog verify --dot FILE: the control-flow graph with the state per block, for Graphviz.
# dot_shape FILE prints "blocks=FIRST..LAST,... edges=bA>bB[:taken|:call],..." when FILE
# is well-formed (digraph header, braces balanced outside quoted labels, every edge
# between declared nodes), else "bad: WHY"; it needs no Graphviz.
dot_shape() {
	awk '
	NR == 1 && $0 !~ /^digraph [A-Za-z0-9_]+ \{$/ { why = "no digraph header" }
	{
		line = $0
		gsub(/\\./, "", line)       # escapes inside labels (\l, \")
		gsub(/"[^"]*"/, "", line)   # quoted labels: their braces do not count
		depth += gsub(/\{/, "", line)
		depth -= gsub(/\}/, "", line)
		if (depth < 0 && !why) why = "a } that closes nothing"
		if (depth == 0 && NR > 1) ended = NR
	}
	$1 ~ /^c[0-9]+_b[0-9]+$/ && $2 ~ /^\[/ {
		declared[$1] = 1
		if (!match($0, /[0-9]+\.\.[0-9]+/)) { if (!why) why = "node " $1 " has no insn range" }
		else blocks = blocks (blocks ? "," : "") substr($0, RSTART, RLENGTH)
	}
	$2 == "->" {
		to = $3
		sub(/;$/, "", to)
		from = $1
		sub(/^c[0-9]+_/, "", from)
		kind = /label="taken"/ ? ":taken" : /call at/ ? ":call" : ""
		edge_from[++n] = $1
		edge_to[n] = to
		to_block = to
		sub(/^c[0-9]+_/, "", to_block)
		edges = edges (edges ? "," : "") from ">" to_block kind
	}
	END {
		if (depth != 0 && !why) why = "unbalanced braces"
		if (ended && ended != NR && !why) why = "text after the closing brace"
		for (i = 1; i <= n; i++)
			if ((!(edge_from[i] in declared) || !(edge_to[i] in declared)) && !why)
				why = "edge " edge_from[i] " -> " edge_to[i] " to an undeclared node"
		if (why) print "bad: " why
		else print "blocks=" blocks " edges=" edges
	}' "$1"
}

# check_dot NAME FILE SHAPE: FILE exists, is well-formed with SHAPE (dot_shape), and
# Graphviz renders it where installed.
check_dot() {
	local name=$1 file=$2 want=$3 got
	if [ ! -s "$file" ]; then
		bad "$name (no file written)"
		return
	fi
	got=$(dot_shape "$file")
	if [ "$got" != "$want" ]; then
		bad "$name (shape)" "got:  $got"$'\n'"want: $want"$'\n'"$(cat "$file")"
	elif command -v dot >/dev/null 2>&1 && ! dot -Tsvg "$file" -o "$tmp/dot.svg" 2>"$tmp/dot.err"; then
		bad "$name (dot -Tsvg)" "$(cat "$tmp/dot.err")"
	else
		ok "$name"
	fi
}

# The checker itself must refuse what Graphviz refuses.
printf 'digraph g {\n\tc0_b0 [label="0..0"];\n\tc0_b0 -> c0_b1;\n' >"$tmp/broken.dot"
case $(dot_shape "$tmp/broken.dot") in
"bad: "*) ok "dot_shape refuses a graph with an open brace" ;;
*) bad "dot_shape refuses a graph with an open brace" "$(dot_shape "$tmp/broken.dot")" ;;
esac

# Accepted: 4 blocks (the two branches end blocks 0 and 1; 9 is both branches' target).
expect "prog verify --dot, accepted" 0 "verified" "$NYUKI" prog verify examples/xdp_ethertype.s type xdp \
	--dot "$tmp/ok.dot"
check_dot "--dot of an accepted program" "$tmp/ok.dot" \
	"blocks=0..5,6..7,8..8,9..9 edges=b0>b1,b0>b3:taken,b1>b2,b1>b3:taken,b2>b3"
expect "--dot has the state at a block" 0 'r2=pkt\(id=1,off=0,r=14\)' cat "$tmp/ok.dot"
# Refused at insn 2: the graph is still written; the blocks never reached are dashed.
expect "prog verify --dot, refused" 1 "insn 2: .*beyond the checked range" "$NYUKI" prog verify \
	examples/xdp_unchecked.s type xdp --dot "$tmp/refused.dot"
check_dot "--dot of a refused program" "$tmp/refused.dot" "blocks=0..3,4..4,5..5 edges=b0>b1,b0>b2:taken,b1>b2"
expect "--dot marks blocks not reached" 0 '4\.\.4 \(not reached\).*style=dashed' cat "$tmp/refused.dot"
# A subprogram: its blocks under the call, and an edge for the call.
printf 'r1 = 5\ncall sub\nexit\nsub:\nr0 = r1\nif r0 > 3 goto big\nr0 = 0\nbig:\nexit\n' >"$tmp/sub.s"
expect "prog verify --dot, subprogram" 0 "verified" "$NYUKI" prog verify "$tmp/sub.s" --dot "$tmp/sub.dot"
check_dot "--dot of a program with a subprogram" "$tmp/sub.dot" \
	"blocks=0..2,3..4,5..5,6..6 edges=b1>b2,b1>b3:taken,b2>b3,b0>b1:call"
expect "--dot - writes the graph on stdout" 0 "^digraph " "$NYUKI" prog verify examples/fib.s --dot -
# Where it cannot be written: a clear error naming the path, exit 1, no verdict.
expect "--dot into a missing directory" 1 "cannot create '$tmp/no/such/dir/g.dot'" "$NYUKI" prog verify \
	examples/fib.s --dot "$tmp/no/such/dir/g.dot"
expect "--dot onto a directory" 1 "cannot create '$tmp': Is a directory" "$NYUKI" prog verify examples/fib.s \
	--dot "$tmp"
expect "--dot without a file" 2 "'--dot' needs a value" "$NYUKI" prog verify examples/fib.s --dot
expect "--dot with --kernel" 2 "cannot be combined with --kernel" "$NYUKI" prog verify examples/fib.s --kernel \
	--dot "$tmp/k.dot"

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
