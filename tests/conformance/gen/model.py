"""
model.py - a small, independent Python model of the eBPF instruction set
(RFC 9669 / Linux Documentation/bpf/standardization/instruction-set.rst),
used only to compute and check the expected results of the conformance
tests. It has three parts:

  assemble(text)      the conformance assembly dialect -> list of u64 words
  validate(words)     load-time checks (unknown opcodes, reserved fields,
                      bad registers, jump targets, lddw shape, fall-through)
  run(words, mem)     an interpreter; raises BpfError on run-time failure

Run-time choices that make tests portable (see README.md):
  * registers other than r1, r2, r10 start with random junk, and so does the
    stack, so a test that reads either before writing it gives different
    answers on different seeds and the generator refuses it;
  * after a helper call, and after a legacy packet load, r1-r5 hold junk;
  * helper 5 returns junk in r0;
  * the addresses of the memory and of each stack frame change from seed to
    seed, so a test may not leak a pointer into its result.
"""

import random
import re

M8, M16, M32, M64 = 0xFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF
STACK_SIZE = 512
MAX_FRAMES = 8
HELPER_IDS = {5}

CLS_LD, CLS_LDX, CLS_ST, CLS_STX, CLS_ALU, CLS_JMP, CLS_JMP32, CLS_ALU64 = range(8)
SRC_K, SRC_X = 0x00, 0x08
ALU_OPS = {
    'add': 0x00, 'sub': 0x10, 'mul': 0x20, 'div': 0x30, 'or': 0x40, 'and': 0x50,
    'lsh': 0x60, 'rsh': 0x70, 'neg': 0x80, 'mod': 0x90, 'xor': 0xa0, 'mov': 0xb0,
    'arsh': 0xc0, 'end': 0xd0,
}
JMP_OPS = {
    'ja': 0x00, 'jeq': 0x10, 'jgt': 0x20, 'jge': 0x30, 'jset': 0x40, 'jne': 0x50,
    'jsgt': 0x60, 'jsge': 0x70, 'call': 0x80, 'exit': 0x90, 'jlt': 0xa0, 'jle': 0xb0,
    'jslt': 0xc0, 'jsle': 0xd0,
}
SIZES = {'w': 0x00, 'h': 0x08, 'b': 0x10, 'dw': 0x18}
SIZE_BYTES = {0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8}
MODE_IMM, MODE_ABS, MODE_IND, MODE_MEM, MODE_MEMSX, MODE_ATOMIC = 0x00, 0x20, 0x40, 0x60, 0x80, 0xc0
ATOMIC_OPS = {'add': 0x00, 'or': 0x40, 'and': 0x50, 'xor': 0xa0}
FETCH, XCHG, CMPXCHG = 0x01, 0xe1, 0xf1


class BpfError(Exception):
    """Refused at load (validate) or failed at run time (run)."""


class AsmError(Exception):
    pass


def sx(x, bits):
    """Sign-extend the low `bits` bits of x to a Python int."""
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


def tdiv(a, b):
    """Truncated (C) division of Python ints."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def tmod(a, b):
    return a - b * tdiv(a, b)


def bswap(x, bits):
    return int.from_bytes((x & ((1 << bits) - 1)).to_bytes(bits // 8, 'little'), 'big')


def encode(opcode, dst=0, src=0, off=0, imm=0):
    return (opcode & 0xFF) | (dst & 0xF) << 8 | (src & 0xF) << 12 | (off & 0xFFFF) << 16 | (imm & M32) << 32


def decode(w):
    return (w & 0xFF, (w >> 8) & 0xF, (w >> 12) & 0xF, sx(w >> 16, 16), sx(w >> 32, 32))


# ---------------------------------------------------------------------------
# Assembler for the conformance dialect
# ---------------------------------------------------------------------------

REG_RE = re.compile(r'^%r(\d+)$')
MEM_RE = re.compile(r'^\[\s*%r(\d+)\s*(?:([+-])\s*(\w+))?\s*\]$')


def parse_int(s):
    s = s.strip()
    try:
        return int(s, 0)
    except ValueError:
        raise AsmError('bad integer %r' % s)


def parse_reg(s):
    m = REG_RE.match(s.strip())
    if not m:
        raise AsmError('bad register %r' % s)
    return int(m.group(1))


def is_reg(s):
    return REG_RE.match(s.strip()) is not None


def parse_mem(s):
    m = MEM_RE.match(s.strip())
    if not m:
        raise AsmError('bad memory operand %r' % s)
    off = 0
    if m.group(2):
        off = parse_int(m.group(3))
        if m.group(2) == '-':
            off = -off
    return int(m.group(1)), off


def split_operands(rest):
    return [p.strip() for p in rest.split(',')] if rest.strip() else []


def assemble(text):
    """Assemble conformance-dialect text into a list of u64 instruction words."""
    lines = []
    for raw in text.splitlines():
        line = raw.split('#', 1)[0].strip()
        if line:
            lines.append(line)
    # pass 1: labels -> slot index
    labels, items, pc = {}, [], 0
    for line in lines:
        m = re.match(r'^([A-Za-z_][\w.]*):\s*(.*)$', line)
        if m:
            if m.group(1) in labels:
                raise AsmError('duplicate label ' + m.group(1))
            labels[m.group(1)] = pc
            line = m.group(2).strip()
            if not line:
                continue
        mnem = line.split(None, 1)[0]
        items.append((pc, line))
        pc += 2 if mnem == 'lddw' else 1

    def target(tok, at):
        tok = tok.strip()
        if tok[0] in '+-' and tok[1:].strip().isdigit():
            return int(tok)
        if tok not in labels:
            raise AsmError('unknown label %r' % tok)
        return labels[tok] - at - 1

    words = []
    for at, line in items:
        words.extend(assemble_one(line, at, target))
    return words


def assemble_one(line, at, target):
    parts = line.split(None, 1)
    mnem, rest = parts[0], parts[1] if len(parts) > 1 else ''
    ops = split_operands(rest)

    # ALU: op, op32, sdiv/smod, movsx, neg, byte swaps
    m = re.match(r'^(add|sub|mul|div|sdiv|or|and|lsh|rsh|mod|smod|xor|mov|arsh)(32)?$', mnem)
    if m:
        name, is32 = m.group(1), bool(m.group(2))
        off = 0
        if name in ('sdiv', 'smod'):
            off, name = 1, name[1:]
        cls = CLS_ALU if is32 else CLS_ALU64
        if len(ops) != 2:
            raise AsmError('%s takes 2 operands' % mnem)
        dst = parse_reg(ops[0])
        if is_reg(ops[1]):
            return [encode(cls | SRC_X | ALU_OPS[name], dst, parse_reg(ops[1]), off, 0)]
        return [encode(cls | SRC_K | ALU_OPS[name], dst, 0, off, parse_int(ops[1]))]
    m = re.match(r'^movsx(8|16|32)(32|64)$', mnem)
    if m:
        cls = CLS_ALU if m.group(2) == '32' else CLS_ALU64
        return [encode(cls | SRC_X | ALU_OPS['mov'], parse_reg(ops[0]), parse_reg(ops[1]), int(m.group(1)), 0)]
    if mnem in ('neg', 'neg32'):
        cls = CLS_ALU if mnem == 'neg32' else CLS_ALU64
        return [encode(cls | SRC_K | ALU_OPS['neg'], parse_reg(ops[0]))]
    m = re.match(r'^(le|be|bswap|swap)(16|32|64)$', mnem)
    if m:
        kind, bits = m.group(1), int(m.group(2))
        opc = {'le': CLS_ALU | SRC_K, 'be': CLS_ALU | SRC_X,
               'bswap': CLS_ALU64 | SRC_K, 'swap': CLS_ALU64 | SRC_K}[kind] | ALU_OPS['end']
        return [encode(opc, parse_reg(ops[0]), 0, 0, bits)]

    # jumps
    if mnem == 'ja':
        return [encode(CLS_JMP | JMP_OPS['ja'], 0, 0, target(ops[0], at), 0)]
    if mnem == 'ja32':
        return [encode(CLS_JMP32 | JMP_OPS['ja'], 0, 0, 0, target(ops[0], at))]
    m = re.match(r'^(jeq|jgt|jge|jset|jne|jsgt|jsge|jlt|jle|jslt|jsle)(32)?$', mnem)
    if m:
        cls = CLS_JMP32 if m.group(2) else CLS_JMP
        dst = parse_reg(ops[0])
        off = target(ops[2], at)
        if is_reg(ops[1]):
            return [encode(cls | SRC_X | JMP_OPS[m.group(1)], dst, parse_reg(ops[1]), off, 0)]
        return [encode(cls | SRC_K | JMP_OPS[m.group(1)], dst, 0, off, parse_int(ops[1]))]
    if mnem == 'exit':
        return [encode(CLS_JMP | JMP_OPS['exit'])]
    if mnem == 'call':
        toks = rest.split()
        if toks[0] == 'local':
            return [encode(CLS_JMP | JMP_OPS['call'], 0, 1, 0, target(toks[1], at))]
        if toks[0] == 'helper':
            return [encode(CLS_JMP | JMP_OPS['call'], 0, 0, 0, parse_int(toks[1]))]
        if is_reg(toks[0]):
            return [encode(CLS_JMP | SRC_X | JMP_OPS['call'], parse_reg(toks[0]))]
        return [encode(CLS_JMP | JMP_OPS['call'], 0, 0, 0, parse_int(toks[0]))]
    if mnem == 'callx':
        return [encode(CLS_JMP | SRC_X | JMP_OPS['call'], parse_reg(ops[0]))]

    # loads and stores
    m = re.match(r'^ldx(s?)(b|h|w|dw)$', mnem)
    if m:
        mode = MODE_MEMSX if m.group(1) else MODE_MEM
        src, off = parse_mem(ops[1])
        return [encode(CLS_LDX | mode | SIZES[m.group(2)], parse_reg(ops[0]), src, off, 0)]
    m = re.match(r'^st(b|h|w|dw)$', mnem)
    if m:
        dst, off = parse_mem(ops[0])
        return [encode(CLS_ST | MODE_MEM | SIZES[m.group(1)], dst, 0, off, parse_int(ops[1]))]
    m = re.match(r'^stx(b|h|w|dw)$', mnem)
    if m:
        dst, off = parse_mem(ops[0])
        return [encode(CLS_STX | MODE_MEM | SIZES[m.group(1)], dst, parse_reg(ops[1]), off, 0)]
    if mnem == 'lock':
        m = re.match(r'^(fetch\s+)?(add|or|and|xor|xchg|cmpxchg)(32)?\s+(.*)$', rest)
        if not m:
            raise AsmError('bad lock: ' + line)
        fetch, op, is32, args = bool(m.group(1)), m.group(2), bool(m.group(3)), split_operands(m.group(4))
        size = SIZES['w'] if is32 else SIZES['dw']
        if op == 'xchg':
            imm = XCHG
        elif op == 'cmpxchg':
            imm = CMPXCHG
        else:
            imm = ATOMIC_OPS[op] | (FETCH if fetch else 0)
        dst, off = parse_mem(args[0])
        return [encode(CLS_STX | MODE_ATOMIC | size, dst, parse_reg(args[1]), off, imm)]
    if mnem == 'lddw':
        v = parse_int(ops[1]) & M64
        return [encode(CLS_LD | MODE_IMM | SIZES['dw'], parse_reg(ops[0]), 0, 0, v & M32),
                encode(0, 0, 0, 0, v >> 32)]
    m = re.match(r'^ld(abs|ind)(b|h|w)$', mnem)
    if m:
        if m.group(1) == 'abs':
            return [encode(CLS_LD | MODE_ABS | SIZES[m.group(2)], 0, 0, 0, parse_int(ops[0]))]
        return [encode(CLS_LD | MODE_IND | SIZES[m.group(2)], 0, parse_reg(ops[0]), 0, parse_int(ops[1]))]
    raise AsmError('unknown mnemonic %r' % mnem)


# ---------------------------------------------------------------------------
# Load-time validation
# ---------------------------------------------------------------------------

def _classify(w):
    """Return (kind, fields) for a valid instruction, raise BpfError otherwise.
    fields is the set of fields the instruction uses: 'dst', 'src', 'off', 'imm'.
    kind is a short tag used by validate/run."""
    op, dst, src, off, imm = decode(w)
    cls = op & 7
    if cls in (CLS_ALU, CLS_ALU64):
        code, s = op & 0xF0, op & 0x08
        is64 = cls == CLS_ALU64
        if code == ALU_OPS['end']:
            if is64 and s:
                raise BpfError('unknown opcode 0x%02x' % op)
            if imm not in (16, 32, 64):
                raise BpfError('invalid immediate %d for byte swap' % imm)
            return 'end', {'dst', 'imm'}
        if code == ALU_OPS['neg']:
            if s:
                raise BpfError('unknown opcode 0x%02x' % op)
            return 'neg', {'dst'}
        if code > ALU_OPS['end']:
            raise BpfError('unknown opcode 0x%02x' % op)
        if code in (ALU_OPS['div'], ALU_OPS['mod']):
            if off not in (0, 1):
                raise BpfError('invalid offset %d' % off)
            return 'alu', {'dst', 'off', 'src' if s else 'imm'}
        if code == ALU_OPS['mov'] and s:
            if off not in ((0, 8, 16, 32) if is64 else (0, 8, 16)):
                raise BpfError('invalid offset %d for mov' % off)
            return 'alu', {'dst', 'src', 'off'}
        return 'alu', {'dst', 'src' if s else 'imm'}
    if cls in (CLS_JMP, CLS_JMP32):
        code, s = op & 0xF0, op & 0x08
        if code == JMP_OPS['ja']:
            if s:
                raise BpfError('unknown opcode 0x%02x' % op)
            return ('ja', {'off'}) if cls == CLS_JMP else ('ja32', {'imm'})
        if code == JMP_OPS['call']:
            if cls == CLS_JMP32:
                raise BpfError('unknown opcode 0x%02x' % op)
            if s:
                return 'callx', {'dst'}
            if src == 0:
                return 'call', {'imm'}
            if src == 1:
                return 'call_local', {'imm', 'src'}
            raise BpfError('invalid source register field %d for call' % src)
        if code == JMP_OPS['exit']:
            if cls == CLS_JMP32 or s:
                raise BpfError('unknown opcode 0x%02x' % op)
            return 'exit', set()
        if code > JMP_OPS['jsle']:
            raise BpfError('unknown opcode 0x%02x' % op)
        return 'jcond', {'dst', 'off', 'src' if s else 'imm'}
    mode, size = op & 0xE0, op & 0x18
    if cls == CLS_LD:
        if mode == MODE_IMM and size == SIZES['dw']:
            if src not in (0,):  # only plain constants are meaningful without maps
                raise BpfError('invalid source register field %d for lddw' % src)
            return 'lddw', {'dst', 'imm'}
        if mode in (MODE_ABS, MODE_IND) and size != SIZES['dw']:
            return ('ldabs', {'imm'}) if mode == MODE_ABS else ('ldind', {'src', 'imm'})
        raise BpfError('unknown opcode 0x%02x' % op)
    if cls == CLS_LDX:
        if mode == MODE_MEM or (mode == MODE_MEMSX and size != SIZES['dw']):
            return 'ldx', {'dst', 'src', 'off'}
        raise BpfError('unknown opcode 0x%02x' % op)
    if cls == CLS_ST:
        if mode == MODE_MEM:
            return 'st', {'dst', 'off', 'imm'}
        raise BpfError('unknown opcode 0x%02x' % op)
    # STX
    if mode == MODE_MEM:
        return 'stx', {'dst', 'src', 'off'}
    if mode == MODE_ATOMIC and size in (SIZES['w'], SIZES['dw']):
        if imm not in (0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, XCHG, CMPXCHG):
            raise BpfError('invalid immediate 0x%x for atomic' % imm)
        return 'atomic', {'dst', 'src', 'off', 'imm'}
    raise BpfError('unknown opcode 0x%02x' % op)


WRITES_DST = {'alu', 'neg', 'end', 'ldx', 'lddw'}


def validate(words):
    n = len(words)
    if n == 0:
        raise BpfError('empty program')
    kinds, second = [None] * n, [False] * n
    pc = 0
    while pc < n:
        w = words[pc]
        kind, fields = _classify(w)
        op, dst, src, off, imm = decode(w)
        if 'dst' not in fields and dst:
            raise BpfError('dst register field must be 0')
        if 'src' not in fields and src:
            raise BpfError('src register field must be 0')
        if 'off' not in fields and off:
            raise BpfError('offset must be 0')
        if 'imm' not in fields and imm:
            raise BpfError('immediate must be 0')
        if 'dst' in fields and dst > 10:
            raise BpfError('invalid register r%d' % dst)
        if 'src' in fields and kind not in ('call_local',) and src > 10:
            raise BpfError('invalid register r%d' % src)
        if kind in WRITES_DST and dst == 10:
            raise BpfError('r10 is read-only')
        if kind == 'atomic' and imm & FETCH and src == 10:
            raise BpfError('r10 is read-only')
        kinds[pc] = kind
        if kind == 'lddw':
            if pc + 1 >= n:
                raise BpfError('lddw is truncated')
            hop, hdst, hsrc, hoff, _ = decode(words[pc + 1])
            if hop or hdst or hsrc or hoff:
                raise BpfError('second slot of lddw must have opcode, registers and offset 0')
            second[pc + 1] = True
            pc += 2
        else:
            pc += 1
    for pc in range(n):
        k = kinds[pc]
        if k is None:
            continue
        _, _, _, off, imm = decode(words[pc])
        if k in ('ja', 'jcond'):
            t = pc + off + 1
        elif k in ('ja32', 'call_local'):
            t = pc + imm + 1
        else:
            continue
        if t < 0 or t >= n:
            raise BpfError('jump target %d is outside the program' % t)
        if second[t]:
            raise BpfError('jump target %d is the second slot of an lddw' % t)
    last = n - 2 if second[n - 1] else n - 1
    if kinds[last] not in ('exit', 'ja', 'ja32'):
        raise BpfError('last instruction falls through off the end of the program')
    return kinds


# ---------------------------------------------------------------------------
# Interpreter
# ---------------------------------------------------------------------------

class Memory:
    def __init__(self):
        self.regions = {}  # name -> (base, bytearray); a new frame replaces the old one

    def add(self, base, data, name):
        self.regions[name] = (base, data)

    def _find(self, addr, size):
        for base, data in self.regions.values():
            if base <= addr and addr + size <= base + len(data):
                return data, addr - base
        raise BpfError('out of bounds access at 0x%x size %d' % (addr, size))

    def load(self, addr, size):
        data, i = self._find(addr & M64, size)
        return int.from_bytes(data[i:i + size], 'little')

    def store(self, addr, size, value):
        data, i = self._find(addr & M64, size)
        data[i:i + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, 'little')


def alu(code, is64, off, a, b):
    """One ALU operation. a = dst (full 64 bits), b = source operand already
    widened as the instruction requires (see run). Returns the new dst."""
    bits = 64 if is64 else 32
    mask = M64 if is64 else M32
    a &= mask
    b &= mask
    if code == 0x00:
        r = a + b
    elif code == 0x10:
        r = a - b
    elif code == 0x20:
        r = a * b
    elif code == 0x30:
        if b == 0:
            r = 0
        elif off == 1:
            r = tdiv(sx(a, bits), sx(b, bits))
        else:
            r = a // b
    elif code == 0x90:
        if b == 0:
            r = a
        elif off == 1:
            r = tmod(sx(a, bits), sx(b, bits))
        else:
            r = a % b
    elif code == 0x40:
        r = a | b
    elif code == 0x50:
        r = a & b
    elif code == 0xa0:
        r = a ^ b
    elif code == 0x60:
        r = a << (b & (bits - 1))
    elif code == 0x70:
        r = a >> (b & (bits - 1))
    elif code == 0xc0:
        r = sx(a, bits) >> (b & (bits - 1))
    elif code == 0xb0:
        r = b
    else:
        raise AssertionError(code)
    return r & mask


def jcond(code, is64, a, b):
    bits = 64 if is64 else 32
    mask = M64 if is64 else M32
    a &= mask
    b &= mask
    sa, sb = sx(a, bits), sx(b, bits)
    return {
        0x10: a == b, 0x20: a > b, 0x30: a >= b, 0x40: (a & b) != 0, 0x50: a != b,
        0x60: sa > sb, 0x70: sa >= sb, 0xa0: a < b, 0xb0: a <= b, 0xc0: sa < sb, 0xd0: sa <= sb,
    }[code]


class Result:
    def __init__(self, r0, steps, max_frames, mem):
        self.r0, self.steps, self.max_frames, self.mem = r0, steps, max_frames, mem


def run(words, mem=None, seed=0, max_steps=2_000_000, validate_first=True):
    """Run a program. Returns Result(r0, ...); raises BpfError on failure."""
    if validate_first:
        validate(words)
    rnd = random.Random(seed)
    junk = lambda: rnd.getrandbits(64)
    memory = Memory()
    # Address layout changes with the seed so that pointer values cannot leak.
    mem_base = 0x10000000 + rnd.randrange(1, 1 << 20) * 0x1000 + rnd.randrange(0, 16) * 8
    stack_area = 0x7f0000000000 + rnd.randrange(1, 1 << 20) * 0x10000
    reg = [junk() for _ in range(11)]
    data = bytearray(mem or b'')
    if mem is not None:
        memory.add(mem_base, data, 'mem')
        reg[1], reg[2] = mem_base, len(data)
    else:
        reg[1], reg[2] = 0, 0

    def new_frame(depth):
        base = stack_area + depth * 0x1000
        memory.add(base, bytearray(rnd.getrandbits(8) for _ in range(STACK_SIZE)), 'stack%d' % depth)
        return base + STACK_SIZE

    reg[10] = new_frame(0)
    frames = []  # (return pc, saved r6..r9, saved r10)
    max_frames = 1
    pc, steps, n = 0, 0, len(words)

    def helper(hid):
        if hid not in HELPER_IDS:
            raise BpfError('unknown helper %d' % hid)
        reg[0] = junk()
        for i in range(1, 6):
            reg[i] = junk()

    while True:
        if pc < 0 or pc >= n:
            raise BpfError('pc %d out of program' % pc)
        steps += 1
        if steps > max_steps:
            raise BpfError('instruction limit exceeded')
        op, dst, src, off, imm = decode(words[pc])
        cls = op & 7
        pc += 1
        if cls in (CLS_ALU, CLS_ALU64):
            is64 = cls == CLS_ALU64
            code = op & 0xF0
            if code == 0xd0:
                v = reg[dst]
                if is64:
                    reg[dst] = bswap(v, imm)
                elif op & SRC_X:
                    reg[dst] = bswap(v, imm)           # to big endian on a little-endian host
                else:
                    reg[dst] = v & ((1 << imm) - 1)   # to little endian: truncate only
                continue
            if code == 0x80:
                reg[dst] = (-reg[dst]) & (M64 if is64 else M32)
                continue
            if op & SRC_X:
                b = reg[src]
                if code == 0xb0 and off:
                    b = sx(b, off)        # movsx: sign-extend, then truncate to width below
                    reg[dst] = b & (M64 if is64 else M32)
                    continue
            else:
                b = imm & M64 if is64 else imm & M32  # imm: sign-extended (64) or u32 (32)
            reg[dst] = alu(code, is64, off, reg[dst], b)
            continue
        if cls in (CLS_JMP, CLS_JMP32):
            code = op & 0xF0
            if code == 0x00:
                pc += off if cls == CLS_JMP else imm
                continue
            if code == 0x90:
                if not frames:
                    return Result(reg[0], steps, max_frames, data)
                pc, saved, fp = frames.pop()
                reg[6:10] = saved
                reg[10] = fp
                for i in range(1, 6):
                    reg[i] = junk()
                continue
            if code == 0x80:
                if op & SRC_X:
                    helper(reg[dst])
                elif src == 0:
                    helper(imm)
                else:
                    if len(frames) + 1 >= MAX_FRAMES:
                        raise BpfError('call depth exceeds %d frames' % MAX_FRAMES)
                    frames.append((pc, reg[6:10], reg[10]))
                    max_frames = max(max_frames, len(frames) + 1)
                    reg[10] = new_frame(len(frames))
                    for i in range(6, 10):
                        reg[i] = junk()
                    pc += imm
                continue
            is64 = cls == CLS_JMP
            b = reg[src] if op & SRC_X else (imm & M64 if is64 else imm & M32)
            if jcond(code, is64, reg[dst], b):
                pc += off
            continue
        mode, size = op & 0xE0, op & 0x18
        nb = SIZE_BYTES[size]
        if cls == CLS_LD:
            if mode == MODE_IMM:
                reg[dst] = (imm & M32) | (decode(words[pc])[4] & M32) << 32
                pc += 1
                continue
            # legacy packet access: the packet is the mem region, big-endian
            o = imm if mode == MODE_ABS else (reg[src] + imm)
            if mem is None:
                raise BpfError('packet access without packet')
            o &= M32
            if o + nb > len(data):
                raise BpfError('packet access out of bounds')
            reg[0] = int.from_bytes(data[o:o + nb], 'big')
            for i in range(1, 6):
                reg[i] = junk()
            continue
        if cls == CLS_LDX:
            v = memory.load(reg[src] + off, nb)
            if mode == MODE_MEMSX:
                v = sx(v, nb * 8) & M64
            reg[dst] = v
            continue
        if cls == CLS_ST:
            memory.store(reg[dst] + off, nb, imm & M64)
            continue
        # STX
        addr = reg[dst] + off
        if mode == MODE_MEM:
            memory.store(addr, nb, reg[src])
            continue
        width = M32 if nb == 4 else M64
        old = memory.load(addr, nb)
        sv = reg[src] & width
        if imm == XCHG:
            memory.store(addr, nb, sv)
            reg[src] = old
        elif imm == CMPXCHG:
            if old == reg[0] & width:
                memory.store(addr, nb, sv)
            reg[0] = old
        else:
            aop = imm & ~FETCH
            new = {0x00: old + sv, 0x40: old | sv, 0x50: old & sv, 0xa0: old ^ sv}[aop] & width
            memory.store(addr, nb, new)
            if imm & FETCH:
                reg[src] = old


def check(words, mem=None, seeds=(1, 2, 3)):
    """Run with several seeds; the result must not depend on the seed.
    Returns ('result', r0, Result) or ('error', message, None)."""
    outs = []
    for s in seeds:
        try:
            outs.append(('result', run(words, mem, seed=s)))
        except BpfError as e:
            outs.append(('error', str(e)))
    kinds = {o[0] for o in outs}
    if len(kinds) != 1:
        raise AssertionError('result kind depends on seed: %r' % [o[0] for o in outs])
    if outs[0][0] == 'error':
        return 'error', outs[0][1], None
    vals = {o[1].r0 for o in outs}
    if len(vals) != 1:
        raise AssertionError('result depends on seed (reads junk or a pointer): %s' %
                             ', '.join('0x%x' % v for v in sorted(vals)))
    return 'result', outs[0][1].r0, outs[0][1]
