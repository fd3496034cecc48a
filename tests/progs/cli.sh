#!/usr/bin/env bash
# The object commands as a user meets them: prog show/dump/run on ELF
# objects, --set, data_out, JSON, events, --dump-maps, shared-memory maps
# (`prog run --shm`, `map ... shm PATH`), usage errors (exit 2) and errors
# that name the file, program, instruction and source line (exit 1).
# Usage: tests/progs/cli.sh [path/to/nyuki]   ends with "progs-cli: N passed, N failed"
set -u
cd "$(dirname "$0")/../.." || exit 1
NYUKI=${1:-build/nyuki}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2" | head -30; fail=$((fail + 1)); }

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

# json NAME PYTHON-EXPR CMD...: CMD's stdout is JSON and EXPR (over `d`) is true.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
json() {
	local name=$1 expr=$2 out
	shift 2
	out=$("$@" 2>/dev/null)
	if "$py" -c "import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if ($expr) else 1)" <<<"$out"; then
		ok "$name"
	else
		bad "$name (JSON: $expr)" "$out"
	fi
}

if ! command -v clang >/dev/null 2>&1; then
	echo "SKIPPED: clang not installed"
	echo "progs-cli: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
flags=(-target bpf -O2 -g -Iinclude -Itests/progs)
[ -d "/usr/include/$(uname -m)-linux-gnu" ] && flags+=(-I"/usr/include/$(uname -m)-linux-gnu")
for p in xdp_parse globals ringbuf tailcall multi_prog bad_helper bad_extern unknown_section queue_stack; do
	if ! clang "${flags[@]}" -c "tests/progs/$p.c" -o "$tmp/$p.o" 2>"$tmp/clang.log"; then
		bad "clang $p.c" "$(cat "$tmp/clang.log")"
	fi
done
# An Ethernet/IPv4/UDP packet to port 9 (xdp_parse drops it: 1) and one to port 7 (echoed: 3).
printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x21\x1c\x46\x40\x00\x40\x11\x0a\x84\x0a\x00\x00\x01\x0a\x00\x00\x02\x04\xd2\x00\x09\x00\x0d\xa3\x24hello' >"$tmp/udp9"
printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x21\x1c\x46\x40\x00\x40\x11\x0a\x84\x0a\x00\x00\x01\x0a\x00\x00\x02\x04\xd2\x00\x07\x00\x0d\xa3\x26hello' >"$tmp/udp7"
zero14=0000000000000000000000000000

# Help and usage errors.
expect "prog help names the object commands" 0 "prog \{ show \| list \} OBJ" "$NYUKI" prog help
expect "map help" 0 "MAP := \{ shm PATH" "$NYUKI" map help
expect "top-level help lists map" 0 "OBJECT := \{ prog \| map" "$NYUKI" help
expect "unknown map command" 2 "unknown command 'fly'" "$NYUKI" map fly
expect "map dump without MAP" 2 "a MAP is needed" "$NYUKI" map dump
expect "prog show without FILE" 2 "needs a FILE" "$NYUKI" prog show
expect "prog dump without FILE" 2 "needs a FILE" "$NYUKI" prog dump
expect "prog run: keyword without value" 2 "'data_in' needs a value" "$NYUKI" prog run "$tmp/xdp_parse.o" data_in
expect "prog run: bad repeat" 2 "positive number" "$NYUKI" prog run "$tmp/xdp_parse.o" repeat 0
expect "prog run: unknown option" 2 "unknown or incomplete option '--bogus'" "$NYUKI" prog run "$tmp/xdp_parse.o" --bogus
expect "prog run: unknown type" 2 "unknown program type 'nosuch'" "$NYUKI" prog run "$tmp/xdp_parse.o" type nosuch
expect "prog run: several programs need a name" 2 "has 3 programs \(first, second, only_tc\): name one" \
	"$NYUKI" prog run "$tmp/multi_prog.o" --data-hex "$zero14"
expect "prog run: unknown program" 1 "no program 'nosuch' \(programs: first, second, only_tc\)" \
	"$NYUKI" prog run "$tmp/multi_prog.o" nosuch --data-hex "$zero14"
expect "--set without =" 2 "--set takes VAR=VALUE" "$NYUKI" prog run "$tmp/globals.o" --set cfg_port
expect "--set of an unknown variable" 1 "no global variable 'nosuch'" \
	"$NYUKI" prog run "$tmp/globals.o" --set nosuch=1 --data-hex "$zero14"
expect "--set of a value that does not fit" 2 "not an integer that fits in 4 bytes" \
	"$NYUKI" prog run "$tmp/globals.o" --set cfg_port=0x100000000 --data-hex "$zero14"
expect "--set of a too long string" 2 "at most 8 characters" \
	"$NYUKI" prog run "$tmp/globals.o" --set 'cfg_name="123456789"' --data-hex "$zero14"
expect "map update: bad byte" 2 "'300' is not a byte" "$NYUKI" map update "$tmp/xdp_parse.o" verdicts key 300 0 0 0 value 0

# prog show.
expect "prog show lists programs, maps, data sections" 0 \
	"xdp +name xdp_parse +section xdp" "$NYUKI" prog show "$tmp/xdp_parse.o"
expect "prog show lists a map" 0 "array  name verdicts  key 4B  value 8B  max_entries 5" \
	"$NYUKI" prog show "$tmp/xdp_parse.o"
expect "prog show lists variables" 0 "\.rodata .*cfg_port \(4@0\), cfg_name \(8@4\)" "$NYUKI" prog show "$tmp/globals.o"
expect "prog list is prog show" 0 "name first" "$NYUKI" prog list "$tmp/multi_prog.o"
json "prog show -j" 'd["loaded"] and d["programs"][0]["name"] == "xdp_parse" and d["maps"][0]["max_entries"] == 5' \
	"$NYUKI" -j prog show "$tmp/xdp_parse.o"
expect "prog show exits 1 when the object does not load" 1 "undefined function 'checksum_from_elsewhere'" \
	"$NYUKI" prog show "$tmp/bad_extern.o"
json "prog show -j of an object that does not load" 'not d["loaded"] and "checksum_from_elsewhere" in d["error"]' \
	"$NYUKI" -j prog show "$tmp/bad_extern.o"
expect "prog show of a missing file" 1 "missing.o" "$NYUKI" prog show "$tmp/missing.o"

# prog dump: disassembly with source lines.
expect "prog dump interleaves source lines" 0 "^; if \(eth->h_proto != bpf_htons\(ETH_P_IP\)\)" \
	"$NYUKI" prog dump "$tmp/xdp_parse.o"
expect "prog dump linum adds file:line" 0 "// xdp_parse.c:[0-9]+:[0-9]+$" "$NYUKI" prog dump xlated "$tmp/xdp_parse.o" linum
expect "prog dump names helpers" 0 "call bpf_map_lookup_elem#1" "$NYUKI" prog dump "$tmp/xdp_parse.o"
expect "prog dump names maps" 0 "map\[idx:0\].*; verdicts" "$NYUKI" prog dump "$tmp/xdp_parse.o"
expect "prog dump opcodes" 0 "^ +61 12 04 00 00 00 00 00" "$NYUKI" prog dump "$tmp/xdp_parse.o" opcodes
expect "prog dump one program" 0 "^second: xdp, section xdp" "$NYUKI" prog dump "$tmp/multi_prog.o" second
json "prog dump -j has source positions" 'any(i.get("src", {}).get("line", 0) > 0 for i in d[0]["insns"])' \
	"$NYUKI" -j prog dump "$tmp/xdp_parse.o"
expect "prog dump of an object that does not load still shows the code" 1 "call 999" \
	"$NYUKI" prog dump "$tmp/bad_helper.o"

# prog run on objects.
expect "run: bpftool's output" 0 "^Return value: 1, duration: [0-9]+ns$" \
	"$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9"
expect "run: repeat gives an average" 0 "^Return value: 1, duration \(average\): [0-9]+ns$" \
	"$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9" repeat 3
expect "run: dash-style aliases" 0 "^Return value: 3," \
	"$NYUKI" prog run "$tmp/xdp_parse.o" --data-in "$tmp/udp7" --data-out "$tmp/out7" --repeat 1
echoed="02 00 00 00 00 01 02 00 00 00 00 02 08 00 45 00 00 21 1c 46 40 00 40 11 0a 84 0a 00 00 02 0a 00 00 01"
echoed+=" 00 07 04 d2 00 0d a3 26 68 65 6c 6c 6f"
if [ "$(od -An -v -tx1 "$tmp/out7" 2>/dev/null | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" = "$echoed" ]; then
	ok "run: data_out file holds the echoed packet"
else
	bad "run: data_out file holds the echoed packet" "$(od -An -tx1 "$tmp/out7" 2>&1)"
fi
expect "run: data_out - prints hex" 0 "^data_out: 02 00 00 00 00 01 02 00 00 00 00 02" \
	"$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp7" data_out -
json "run -j: retval, duration_ns, data_out" \
	'd["retval"] == 1 and d["duration_ns"] >= 0 and d["data_out"].startswith("0200000000020200")' \
	"$NYUKI" -j prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9"
expect "run: --dump-maps like bpftool map dump" 0 "^key: 01 00 00 00  value: 01 00 00 00 00 00 00 00$" \
	"$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9" --dump-maps
expect "run: --dump-map NAME" 0 "Found 5 elements" "$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9" --dump-map verdicts
expect "run: --dump-map of a missing map" 1 "no map 'nosuch'" \
	"$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9" --dump-map nosuch
expect "run: --set changes a .rodata value" 0 "cfg_port = 07 00 00 00" \
	"$NYUKI" prog run "$tmp/globals.o" --data-hex "$zero14" --set cfg_port=7 --dump-maps
expect "run: --set a string" 0 "cfg_name = 61 62 00 00 00 00 00 00" \
	"$NYUKI" prog run "$tmp/globals.o" --data-hex "$zero14" --set 'cfg_name="ab"' --dump-maps
expect "run: --set hex bytes" 0 "last_len = 01 02 00 00 00 00 00 00" \
	"$NYUKI" prog run "$tmp/globals.o" --data-hex "$zero14" --set last_len=hex:0102 --dump-maps
expect "run: ring buffer records are printed" 0 "^event events \(8 bytes\): 88 77 66 55 44 33 22 11$" \
	"$NYUKI" prog run "$tmp/ringbuf.o" --data-hex "$zero14"
expect "run: --no-events" 0 "^Return value: 16" "$NYUKI" prog run "$tmp/ringbuf.o" --data-hex "$zero14" --no-events
json "run -j: events" 'd["events"][0]["data"] == "8877665544332211"' \
	"$NYUKI" -j prog run "$tmp/ringbuf.o" --data-hex "$zero14"
expect "run: a section name picks the program" 0 "^Return value: 14," \
	"$NYUKI" prog run "$tmp/multi_prog.o" tc --data-hex "$zero14"
expect "run: unknown section needs a type" 1 "tail-3" "$NYUKI" prog run "$tmp/unknown_section.o" tail_three --data-hex "$zero14"
expect "run: type for an unknown section" 0 "^Return value: 3," \
	"$NYUKI" prog run "$tmp/unknown_section.o" tail_three type xdp --data-hex "$zero14"
expect "run: unknown helper names file, program, insn, line" 1 \
	"bad_helper.o: insn 0: program 'calls_unknown' in section 'xdp': bad_helper.c:[0-9]+: .*999" \
	"$NYUKI" prog run "$tmp/bad_helper.o" --data-hex "$zero14"
expect "run: undefined function is named" 1 "checksum_from_elsewhere" \
	"$NYUKI" prog run "$tmp/bad_extern.o" --data-hex "$zero14"
expect "plain ELF without maps keeps the vm path" 0 "Return value: 0x" "$NYUKI" prog run examples/fib.s

# Maps of an object, after load.
expect "map list OBJ" 0 "^0: array  name verdicts" "$NYUKI" map list "$tmp/xdp_parse.o"
expect "map dump OBJ NAME: prog_array initial values" 0 "^key: 02 00 00 00  value: 01 00 00 00$" \
	"$NYUKI" map dump "$tmp/tailcall.o" jump_table
expect "map lookup OBJ name NAME" 0 "^key: 00 00 00 00  value: 35 00 00 00" \
	"$NYUKI" map lookup "$tmp/globals.o" name .rodata key 0 0 0 0
expect "map dump OBJ NAME of a missing map" 1 "no map 'nosuch'" "$NYUKI" map dump "$tmp/xdp_parse.o" nosuch
json "map dump -j is bpftool's" 'd[1]["key"] == ["0x01","0x00","0x00","0x00"] and len(d[1]["value"]) == 8' \
	"$NYUKI" -j map dump "$tmp/xdp_parse.o" verdicts

# Shared-memory maps: a run leaves them for other processes.
shm=$tmp/shm
mkdir -p "$shm"
expect "run --shm" 0 "^Return value: 1," "$NYUKI" prog run "$tmp/xdp_parse.o" data_in "$tmp/udp9" repeat 4 --shm "$shm"
expect "map list shm DIR" 0 "name verdicts .* path $shm/verdicts" "$NYUKI" map list shm "$shm"
expect "map dump shm PATH" 0 "^key: 01 00 00 00  value: 04 00 00 00 00 00 00 00$" \
	"$NYUKI" map dump shm "$shm/verdicts"
expect "map update shm (hex)" 0 "" "$NYUKI" map update shm "$shm/verdicts" key hex 02000000 value hex 07 00 00 00 00 00 00 00
expect "map lookup shm sees it" 0 "^key: 02 00 00 00  value: 07 00 00 00 00 00 00 00$" \
	"$NYUKI" map lookup pinned "$shm/verdicts" key 2 0 0 0
expect "a second run keeps nothing of the first (maps are replaced)" 0 "^key: 01 00 00 00  value: 01 00" \
	bash -c "'$NYUKI' prog run '$tmp/xdp_parse.o' data_in '$tmp/udp9' --shm '$shm' >/dev/null && '$NYUKI' map dump shm '$shm/verdicts'"
expect "map delete on an array is refused" 1 "failed" "$NYUKI" map delete shm "$shm/verdicts" key 0 0 0 0
expect "map update: wrong key size" 2 "3 bytes given, the map needs 4" \
	"$NYUKI" map update shm "$shm/verdicts" key 1 2 3 value 0 0 0 0 0 0 0 0
expect "map open of a file that is no map" 1 "" "$NYUKI" map dump shm "$tmp/udp9"

# map create, and the element commands on it.
expect "map create shm hash" 0 "" "$NYUKI" map create shm "$shm/h" type hash key 4 value 8 entries 4 name counts
expect "map update noexist" 0 "" "$NYUKI" map update shm "$shm/h" key 1 0 0 0 value 5 0 0 0 0 0 0 0 noexist
expect "map update noexist twice" 1 "exists" "$NYUKI" map update shm "$shm/h" key 1 0 0 0 value 6 0 0 0 0 0 0 0 noexist
expect "map update exist of a missing key" 1 "No such file" \
	"$NYUKI" map update shm "$shm/h" key 2 0 0 0 value 6 0 0 0 0 0 0 0 exist
expect "map getnext from the start" 0 "^01 00 00 00$" "$NYUKI" map getnext shm "$shm/h"
expect "map getnext after the last" 1 "no next key" "$NYUKI" map getnext shm "$shm/h" key 1 0 0 0
expect "map delete" 0 "" "$NYUKI" map delete shm "$shm/h" key 1 0 0 0
expect "map lookup of a deleted key" 1 "key not found" "$NYUKI" map lookup shm "$shm/h" key 1 0 0 0
expect "map dump of an empty map" 0 "Found 0 elements" "$NYUKI" map dump shm "$shm/h"
expect "map create: unknown type" 2 "unknown map type 'nosuch'" \
	"$NYUKI" map create shm "$shm/x" type nosuch key 4 value 4 entries 1
expect "map create queue" 0 "" "$NYUKI" map create shm "$shm/q" type queue key 0 value 4 entries 4
expect "map push" 0 "" "$NYUKI" map push shm "$shm/q" value 7 0 0 0
expect "map enqueue" 0 "" "$NYUKI" map enqueue shm "$shm/q" value 8 0 0 0
expect "map peek" 0 "^value: 07 00 00 00$" "$NYUKI" map peek shm "$shm/q"
expect "map pop" 0 "^value: 07 00 00 00$" "$NYUKI" map pop shm "$shm/q"
expect "map dequeue" 0 "^value: 08 00 00 00$" "$NYUKI" map dequeue shm "$shm/q"
expect "map pop of an empty queue" 1 "is empty" "$NYUKI" map pop shm "$shm/q"
expect "map dump of a queue is refused" 1 "cannot be dumped" "$NYUKI" map dump shm "$shm/q"
expect "map create percpu" 0 "" "$NYUKI" map create shm "$shm/pc" type percpu_array key 4 value 8 entries 2 cpus 2
expect "map update percpu with one value" 0 "" "$NYUKI" map update shm "$shm/pc" key 1 0 0 0 value 3 0 0 0 0 0 0 0
expect "map lookup percpu: one line per CPU" 0 "^value \(CPU 01\): 03 00 00 00 00 00 00 00$" \
	"$NYUKI" map lookup shm "$shm/pc" key 1 0 0 0

# Ring buffer events of a run, read by another process.
expect "run ringbuf --shm --no-events" 0 "^Return value: 64," \
	"$NYUKI" prog run "$tmp/ringbuf.o" --data-hex 020000000002020000000001080045000021 --shm "$shm" --no-events
expect "map events shm follows the ring" 0 "^event events \(8 bytes\): 88 77 66 55 44 33 22 11$" \
	"$NYUKI" map events shm "$shm/events" count 2 timeout 5
expect "map events: nothing left, timeout ends it" 0 "" "$NYUKI" map events shm "$shm/events" timeout 1
expect "map events on an array" 1 "not a ringbuf" "$NYUKI" map events shm "$shm/verdicts" count 1

if [ "$skip" -gt 0 ]; then
	echo "progs-cli: $pass passed, $fail failed, $skip skipped"
else
	echo "progs-cli: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
