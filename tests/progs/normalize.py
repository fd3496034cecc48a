#!/usr/bin/env python3
"""Turn nyuki's and bpftool's JSON output into comparable lines.

  normalize.py nyuki RUN.json               nyuki -j prog run ... --dump-maps
  normalize.py bpftool-run RUN.json OUT     bpftool -j prog run ... data_out OUT
  normalize.py bpftool-map NAME DUMP.json   bpftool -j map dump pinned ...

Lines: "retval N", "data_out HEX", "map NAME KEY = VALUE", "var NAME = HEX",
"event MAP HEX".
Per-CPU values are added up lane by lane (8-byte lanes when the value size
allows, else 4-byte), so nyuki's one CPU compares with the kernel's many.
"""
import json
import sys


def hexbytes(v):
    """bpftool's ["0x01", ...] arrays, ints, or a hex string, as a hex string."""
    if isinstance(v, str):
        return v.replace(" ", "").lower()
    return "".join("%02x" % (int(b, 16) if isinstance(b, str) else b) for b in v)


def add_lanes(values):
    raw = [bytes.fromhex(hexbytes(v)) for v in values]
    size = len(raw[0])
    lane = 8 if size % 8 == 0 else 4 if size % 4 == 0 else 1
    out = bytearray()
    for off in range(0, size, lane):
        total = sum(int.from_bytes(r[off:off + lane], "little") for r in raw)
        out += (total % (1 << (8 * lane))).to_bytes(lane, "little")
    return out.hex()


def entries(name, dump):
    lines = []
    for e in dump:
        if "values" in e:
            value = add_lanes([c["value"] for c in e["values"]])
        elif "value" in e:
            value = hexbytes(e["value"])
        else:
            continue
        key = hexbytes(e.get("key", []))
        lines.append("map %s %s = %s" % (name, key, value))
    return sorted(lines)


def main():
    kind = sys.argv[1]
    if kind == "nyuki":
        run = json.load(open(sys.argv[2]))
        print("retval %d" % run["retval"])
        if run.get("data_out") is not None:
            print("data_out %s" % hexbytes(run["data_out"]))
        if run.get("ctx_out") is not None:
            print("ctx_out %s" % hexbytes(run["ctx_out"]))
        for ev in run.get("events", []):
            print("event %s %s" % (ev["map"], hexbytes(ev["data"])))
        for name, value in sorted(run.get("globals", {}).items()):
            print("var %s = %s" % (name, hexbytes(value)))
        for m in run.get("maps", []):
            for line in entries(m["name"], m.get("entries", [])):
                print(line)
    elif kind == "bpftool-run":
        run = json.load(open(sys.argv[2]))
        print("retval %d" % run["retval"])
        if len(sys.argv) > 3:
            print("data_out %s" % open(sys.argv[3], "rb").read().hex())
    elif kind == "bpftool-map":
        for line in entries(sys.argv[2], json.load(open(sys.argv[3]))):
            print(line)
    else:
        sys.exit("normalize.py: unknown kind " + kind)


main()
