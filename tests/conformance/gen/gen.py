#!/usr/bin/env python3
"""
gen.py - generate the conformance tests in tests/conformance/*.data.

Every expected result is computed by model.py, an independent Python model
of RFC 9669; where a test also states `expect=`, the value was worked out by
hand and the generator stops if the model disagrees. Every program is run
with several seeds (different junk in uninitialised registers and stack,
different addresses), so a test whose answer depends on anything the
specification leaves open is refused here, not shipped.

usage: python3 gen.py            write the files (and remove stale *.data)
       python3 gen.py --check    only check that the files on disk match
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..'))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import model  # noqa: E402
from model import M32, M64, sx  # noqa: E402
import datafile  # noqa: E402

TESTS = []
NAMES = set()


def fmt_imm(v):
    """An immediate as text: decimal if small or negative, else hex."""
    if v < 0:
        return str(v)
    return str(v) if v < 256 else hex(v)


def li(r, v):
    """Load a 64-bit constant into register r with mov when it fits a
    sign-extended 32-bit immediate, else with lddw."""
    s = sx(v & M64, 64)
    if -(1 << 31) <= s < (1 << 31):
        return 'mov %%r%d, %s' % (r, fmt_imm(s))
    return 'lddw %%r%d, 0x%x' % (r, v & M64)


def T(name, comment, asm=None, raw=None, mem=None, expect=None, error=None):
    """Add one test. asm: text (lines joined) or list of lines."""
    assert name not in NAMES, 'duplicate test name ' + name
    assert (asm is None) != (raw is None)
    NAMES.add(name)
    if isinstance(asm, (list, tuple)):
        asm = '\n'.join(asm)
    if asm is not None:
        asm = '\n'.join(ln.strip() for ln in asm.strip().splitlines())
    if isinstance(mem, str):
        mem = bytes.fromhex(mem.replace(' ', '').replace('\n', ''))
    TESTS.append(dict(name=name, comment=comment, asm=asm, raw=raw, mem=mem, expect=expect, error=error))


# ---------------------------------------------------------------------------
# ALU: every operation, 64 and 32 bits, immediate and register forms
# ---------------------------------------------------------------------------

# Register pairs (dst, src) used in rotation so that every register number is
# exercised in both fields; r1 and r2 hold mem when a test has mem, but ALU
# tests have none.
PAIRS = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (9, 0), (3, 8), (5, 2), (7, 4), (1, 6)]
_pair_i = [0]


def next_pair():
    p = PAIRS[_pair_i[0] % len(PAIRS)]
    _pair_i[0] += 1
    return p


def binop_asm(mnem, d, s, form, pair=None):
    dr, sr = pair or next_pair()
    lines = [li(dr, d)]
    if form == 'imm':
        assert -(1 << 31) <= s < (1 << 31), (mnem, s)
        lines.append('%s %%r%d, %s' % (mnem, dr, fmt_imm(s)))
    else:
        lines.append(li(sr, s))
        lines.append('%s %%r%d, %%r%d' % (mnem, dr, sr))
    if dr != 0:
        lines.append('mov %%r0, %%r%d' % dr)
    lines.append('exit')
    return lines


def binop(name, comment, mnem, d, s, form, expect=None, pair=None):
    T(name, comment, binop_asm(mnem, d, s, form, pair), expect=expect)


OPS = ['add', 'sub', 'mul', 'div', 'sdiv', 'mod', 'smod', 'or', 'and', 'xor', 'lsh', 'rsh', 'arsh', 'mov']

# (dst, src) for the basic test of each operation. For the 64-bit forms dst
# has bits above 31 so the upper half is seen; the same values run through the
# 32-bit forms, where those bits must be ignored and the result zero-extended.
BASIC = {
    'add': (0x123456789, 0x11111111),
    'sub': (0x500000003, 5),
    'mul': (0x100000003, 7),
    'div': (0x100000014, 3),
    'sdiv': (-100, 7),
    'mod': (0x100000014, 7),
    'smod': (-100, 7),
    'or': (0x1234000000f0, 0x0f0f),
    'and': (0xffffffff12345678, 0x00ff00ff),
    'xor': (0xff00ff00ff00ff00, 0x0ff00ff0),
    'lsh': (0x100000001, 4),
    'rsh': (0x100000010, 4),
    'arsh': (0x8000000080000010, 4),
    'mov': (0x123456789abcdef0, 0x7654321),
}
BASIC_DESC = {
    'add': 'dst += src', 'sub': 'dst -= src', 'mul': 'dst *= src', 'div': 'unsigned dst /= src',
    'sdiv': 'signed dst /= src (truncates toward zero)', 'mod': 'unsigned dst %= src',
    'smod': 'signed dst %= src (sign of the dividend)', 'or': 'dst |= src', 'and': 'dst &= src',
    'xor': 'dst ^= src', 'lsh': 'dst <<= src', 'rsh': 'logical dst >>= src',
    'arsh': 'arithmetic (sign-filling) dst >>= src', 'mov': 'dst = src',
}


def gen_alu_basic():
    for op in OPS:
        d, s = BASIC[op]
        for width in (64, 32):
            mnem = op + ('32' if width == 32 else '')
            for form in ('imm', 'reg'):
                what = 'immediate' if form == 'imm' else 'register'
                tail = '' if width == 64 else '; the 32-bit result is zero-extended'
                binop('alu%d-%s-%s' % (width, op, form),
                      '%s %s: %s with a%s source%s' % (mnem, 'K' if form == 'imm' else 'X', BASIC_DESC[op],
                                                        'n ' + what if form == 'imm' else ' ' + what, tail),
                      mnem, d, s, form)
    T('alu64-neg', 'neg: dst = -dst on 64 bits',
      [li(0, 0x123456789), 'neg %r0', 'exit'], expect=(-0x123456789) & M64)
    T('alu32-neg', 'neg32: dst = -(u32)dst, zero-extended; the upper half of dst is ignored',
      [li(3, 0x123456789), 'neg32 %r3', 'mov %r0, %r3', 'exit'], expect=(-0x23456789) & M32)


def gen_alu32_upper():
    """32-bit register forms must ignore the upper halves of both operands."""
    src_hi = 0xdeadbeef00000000
    cases = {
        'add': (0xaaaaaaaa00000005, 3), 'sub': (0x5555555500000005, 3), 'mul': (0x1234567800000006, 7),
        'div': (0xffffffff0000000e, 3), 'sdiv': (0x00000001fffffff2, 3), 'mod': (0xffffffff0000000e, 4),
        'smod': (0x00000001fffffff2, 4), 'or': (0xffffffff00000100, 0x11), 'and': (0xffffffff000000ff, 0x3c),
        'xor': (0xffffffff0000ffff, 0xff), 'lsh': (0x8000000000000001, 3), 'rsh': (0x0000000180000000, 31),
        'arsh': (0x00000001f0000000, 4), 'mov': (0xffffffffffffffff, 0x12345678),
    }
    for op, (d, s) in cases.items():
        binop('alu32-%s-reg-upper-bits' % op,
              '%s32 X: the upper 32 bits of dst (0x%x) and src are ignored, the result zero-extended'
              % (op, d >> 32), op + '32', d, src_hi | s, 'reg')


def gen_alu_edges():
    # add / sub / mul wrap-around
    binop('alu64-add-overflow', 'add wraps modulo 2^64', 'add', 0xffffffffffffffff, 2, 'reg', expect=1)
    binop('alu32-add-overflow', 'add32 wraps modulo 2^32 and never carries into bit 32', 'add32', 0xffffffff, 1, 'reg',
          expect=0)
    binop('alu64-add-imm-negative', 'add with imm -1: the immediate is sign-extended to 64 bits', 'add', 0x100000000, -1,
          'imm', expect=0xffffffff)
    binop('alu32-add-imm-negative', 'add32 with imm -1: adds 0xffffffff to the low half, result zero-extended',
          'add32', 0x100000005, -1, 'imm', expect=4)
    binop('alu64-add-imm-min', 'add with imm INT32_MIN sign-extends to 0xffffffff80000000', 'add', 0, -0x80000000,
          'imm', expect=0xffffffff80000000)
    binop('alu64-sub-underflow', 'sub wraps below zero to 0xffffffffffffffff', 'sub', 0, 1, 'imm',
          expect=0xffffffffffffffff)
    binop('alu32-sub-underflow', 'sub32 wraps below zero to 0xffffffff, upper half zero', 'sub32', 0, 1, 'imm',
          expect=0xffffffff)
    binop('alu64-sub-imm-negative', 'sub with imm -2 adds 2 (imm sign-extended)', 'sub', 5, -2, 'imm', expect=7)
    binop('alu64-sub-self', 'sub of a register from itself is 0', 'sub', 0x123456789, 0x123456789, 'reg', expect=0)
    binop('alu64-mul-overflow', 'mul keeps the low 64 bits of the product', 'mul', 0x100000001, 0x100000001, 'reg',
          expect=0x200000001)
    binop('alu32-mul-overflow', 'mul32 keeps the low 32 bits of the product', 'mul32', 0x10001, 0x10001, 'reg',
          expect=0x20001)
    binop('alu64-mul-imm-negative', 'mul by imm -1 negates (imm sign-extended)', 'mul', 5, -1, 'imm',
          expect=0xfffffffffffffffb)
    binop('alu32-mul-imm-negative', 'mul32 by imm -1 negates the low half, zero-extended', 'mul32', 5, -1, 'imm',
          expect=0xfffffffb)
    binop('alu64-mul-large', 'mul of two 32-bit values gives the full 64-bit product', 'mul', 0xffffffff, 0xffffffff,
          'reg', expect=0xfffffffe00000001)
    # unsigned division
    binop('alu64-div-by-zero-imm', 'div by an immediate 0 sets dst to 0', 'div', 0x123456789, 0, 'imm', expect=0)
    binop('alu64-div-by-zero-reg', 'div by a register holding 0 sets dst to 0', 'div', 0x123456789, 0, 'reg', expect=0)
    binop('alu32-div-by-zero-imm', 'div32 by an immediate 0 sets dst to 0', 'div32', 0x123456789, 0, 'imm', expect=0)
    binop('alu32-div-by-zero-reg', 'div32 by a register holding 0 sets dst to 0', 'div32', 0x123456789, 0, 'reg',
          expect=0)
    binop('alu32-div-by-zero-reg-upper', 'div32 by a register whose low half is 0 (upper half not) sets dst to 0',
          'div32', 0x12345, 0x100000000, 'reg', expect=0)
    binop('alu64-div-unsigned', 'div is unsigned: 0xffffffffffffffff / 2 = 0x7fffffffffffffff', 'div',
          0xffffffffffffffff, 2, 'imm', expect=0x7fffffffffffffff)
    binop('alu32-div-unsigned', 'div32 is unsigned: 0xffffffff / 2 = 0x7fffffff', 'div32', 0xffffffff, 2, 'imm',
          expect=0x7fffffff)
    binop('alu64-div-imm-negative', 'div imm -1 divides by 0xffffffffffffffff (imm sign-extended, then unsigned)', 'div',
          0xfffffffffffffffe, -1, 'imm', expect=0)
    binop('alu64-div-imm-negative-equal', 'div imm -1 by itself: 0xffffffffffffffff / 0xffffffffffffffff = 1', 'div',
          0xffffffffffffffff, -1, 'imm', expect=1)
    binop('alu32-div-imm-negative', 'div32 imm -1 divides by 0xffffffff (u32)', 'div32', 0xfffffffe, -1, 'imm',
          expect=0)
    binop('alu64-div-imm-high-bit', 'div by imm 0x80000000 as s32 is -2^31, i.e. 0xffffffff80000000 unsigned', 'div',
          0xffffffff80000000, -0x80000000, 'imm', expect=1)
    binop('alu32-div-imm-high-bit', 'div32 by imm 0x80000000 (u32 2^31)', 'div32', 0xffffffff, -0x80000000, 'imm',
          expect=1)
    binop('alu64-div-intmin-by-neg1', 'unsigned div of 0x8000000000000000 by 0xffffffffffffffff is 0', 'div',
          0x8000000000000000, -1, 'reg', expect=0)
    # unsigned modulo
    binop('alu64-mod-by-zero-imm', 'mod by an immediate 0 leaves dst unchanged', 'mod', 0x123456789, 0, 'imm',
          expect=0x123456789)
    binop('alu64-mod-by-zero-reg', 'mod by a register holding 0 leaves dst unchanged', 'mod', 0x123456789, 0, 'reg',
          expect=0x123456789)
    binop('alu32-mod-by-zero-imm', 'mod32 by an immediate 0 keeps the low 32 bits of dst, zero-extended', 'mod32',
          0x123456789, 0, 'imm', expect=0x23456789)
    binop('alu32-mod-by-zero-reg', 'mod32 by a register holding 0 keeps the low 32 bits of dst, zero-extended',
          'mod32', 0xffffffff87654321, 0, 'reg', expect=0x87654321)
    binop('alu32-mod-by-zero-reg-upper', 'mod32 by a register whose low half is 0 keeps dst low half, zero-extended',
          'mod32', 0x1122334455667788, 0x500000000, 'reg', expect=0x55667788)
    binop('alu64-mod-unsigned', 'mod is unsigned: 0xffffffffffffffff % 10 = 5', 'mod', 0xffffffffffffffff, 10, 'imm',
          expect=5)
    binop('alu64-mod-imm-negative', 'mod imm -1 uses 0xffffffffffffffff as divisor', 'mod', 0xfffffffffffffffe, -1,
          'imm', expect=0xfffffffffffffffe)
    binop('alu32-mod-imm-negative', 'mod32 imm -2 uses 0xfffffffe as divisor', 'mod32', 0xffffffff, -2, 'imm',
          expect=1)
    binop('alu32-mod-unsigned', 'mod32 is unsigned: 0xfffffff6 % 7', 'mod32', 0xfffffff6, 7, 'imm',
          expect=0xfffffff6 % 7)
    # signed division
    sd = [
        ('alu64-sdiv-neg-pos', 'sdiv -7 / 2 = -3 (truncated toward zero)', 'sdiv', -7, 2, 'imm', (-3) & M64),
        ('alu64-sdiv-pos-neg', 'sdiv 7 / -2 = -3', 'sdiv', 7, -2, 'imm', (-3) & M64),
        ('alu64-sdiv-neg-neg', 'sdiv -7 / -2 = 3', 'sdiv', -7, -2, 'reg', 3),
        ('alu64-sdiv-by-zero-imm', 'sdiv by an immediate 0 sets dst to 0', 'sdiv', -7, 0, 'imm', 0),
        ('alu64-sdiv-by-zero-reg', 'sdiv by a register holding 0 sets dst to 0', 'sdiv', -7, 0, 'reg', 0),
        ('alu64-sdiv-intmin-by-neg1-imm', 'sdiv INT64_MIN / -1 overflows to INT64_MIN', 'sdiv', 0x8000000000000000, -1,
         'imm', 0x8000000000000000),
        ('alu64-sdiv-intmin-by-neg1-reg', 'sdiv INT64_MIN / -1 (register) overflows to INT64_MIN', 'sdiv',
         0x8000000000000000, -1, 'reg', 0x8000000000000000),
        ('alu64-sdiv-imm-sign-extended', 'sdiv with imm -0x80000000 divides by -2^31 (64-bit)', 'sdiv',
         0x4000000000000000, -0x80000000, 'imm', (-0x80000000) & M64),
        ('alu64-sdiv-large-by-neg', 'sdiv 0x7fffffffffffffff / -1 = -0x7fffffffffffffff', 'sdiv',
         0x7fffffffffffffff, -1, 'reg', 0x8000000000000001),
        ('alu32-sdiv-neg-pos', 'sdiv32 -7 / 2 = -3, zero-extended (0xfffffffd)', 'sdiv32', -7, 2, 'imm', 0xfffffffd),
        ('alu32-sdiv-pos-neg', 'sdiv32 7 / -2 = -3, zero-extended', 'sdiv32', 7, -2, 'reg', 0xfffffffd),
        ('alu32-sdiv-neg-neg', 'sdiv32 -7 / -2 = 3', 'sdiv32', -7, -2, 'imm', 3),
        ('alu32-sdiv-by-zero-imm', 'sdiv32 by an immediate 0 sets dst to 0', 'sdiv32', -7, 0, 'imm', 0),
        ('alu32-sdiv-by-zero-reg', 'sdiv32 by a register holding 0 sets dst to 0', 'sdiv32', -7, 0, 'reg', 0),
        ('alu32-sdiv-intmin-by-neg1-imm', 'sdiv32 INT32_MIN / -1 overflows to INT32_MIN (0x80000000)', 'sdiv32',
         0x80000000, -1, 'imm', 0x80000000),
        ('alu32-sdiv-intmin-by-neg1-reg', 'sdiv32 INT32_MIN / -1 (register) overflows to 0x80000000', 'sdiv32',
         0x80000000, -1, 'reg', 0x80000000),
        ('alu32-sdiv-signed-low-half', 'sdiv32 reads 0x00000000fffffff0 as -16: -16 / 4 = -4', 'sdiv32', 0xfffffff0, 4,
         'imm', 0xfffffffc),
    ]
    for name, c, mnem, d, s, form, e in sd:
        binop(name, c, mnem, d, s, form, expect=e)
    sm = [
        ('alu64-smod-neg-pos', 'smod -7 % 2 = -1 (takes the sign of the dividend)', 'smod', -7, 2, 'imm', (-1) & M64),
        ('alu64-smod-pos-neg', 'smod 7 % -2 = 1', 'smod', 7, -2, 'imm', 1),
        ('alu64-smod-neg-neg', 'smod -7 % -2 = -1', 'smod', -7, -2, 'reg', (-1) & M64),
        ('alu64-smod-rfc-example', 'smod -13 % 3 = -1 (the example of RFC 9669)', 'smod', -13, 3, 'reg', (-1) & M64),
        ('alu64-smod-by-zero-imm', 'smod by an immediate 0 leaves dst unchanged', 'smod', -7, 0, 'imm', (-7) & M64),
        ('alu64-smod-by-zero-reg', 'smod by a register holding 0 leaves dst unchanged', 'smod', -7, 0, 'reg',
         (-7) & M64),
        ('alu64-smod-intmin-by-neg1-imm', 'smod INT64_MIN % -1 = 0', 'smod', 0x8000000000000000, -1, 'imm', 0),
        ('alu64-smod-intmin-by-neg1-reg', 'smod INT64_MIN % -1 (register) = 0', 'smod', 0x8000000000000000, -1, 'reg',
         0),
        ('alu32-smod-neg-pos', 'smod32 -7 % 2 = -1, zero-extended (0xffffffff)', 'smod32', -7, 2, 'imm', 0xffffffff),
        ('alu32-smod-pos-neg', 'smod32 7 % -2 = 1', 'smod32', 7, -2, 'reg', 1),
        ('alu32-smod-neg-neg', 'smod32 -7 % -2 = -1, zero-extended', 'smod32', -7, -2, 'imm', 0xffffffff),
        ('alu32-smod-by-zero-imm', 'smod32 by an immediate 0 keeps the low half of dst, zero-extended', 'smod32', -7, 0,
         'imm', 0xfffffff9),
        ('alu32-smod-by-zero-reg', 'smod32 by a register holding 0 keeps the low half of dst, zero-extended', 'smod32',
         -7, 0, 'reg', 0xfffffff9),
        ('alu32-smod-intmin-by-neg1-imm', 'smod32 INT32_MIN % -1 = 0', 'smod32', 0x80000000, -1, 'imm', 0),
        ('alu32-smod-intmin-by-neg1-reg', 'smod32 INT32_MIN % -1 (register) = 0', 'smod32', 0x80000000, -1, 'reg', 0),
    ]
    for name, c, mnem, d, s, form, e in sm:
        binop(name, c, mnem, d, s, form, expect=e)
    # bitwise with sign-extended immediates
    binop('alu64-or-imm-negative', 'or with imm -0x100 sets all upper bits (imm sign-extended)', 'or', 0x12, -0x100,
          'imm', expect=0xffffffffffffff12)
    binop('alu32-or-imm-negative', 'or32 with imm -0x100 sets bits 8..31 only, zero-extended', 'or32',
          0xaaaaaaaa00000012, -0x100, 'imm', expect=0xffffff12)
    binop('alu64-and-imm-negative', 'and with imm -16 keeps the upper 32 bits (imm sign-extended)', 'and',
          0x123456789abcdef7, -16, 'imm', expect=0x123456789abcdef0)
    binop('alu64-and-imm-positive', 'and with a positive imm clears the upper 32 bits', 'and', 0x123456789abcdef7,
          0x7fffffff, 'imm', expect=0x1abcdef7)
    binop('alu32-and-imm-negative', 'and32 with imm -16 clears the upper half (32-bit result)', 'and32',
          0x123456789abcdef7, -16, 'imm', expect=0x9abcdef0)
    binop('alu64-xor-imm-negative', 'xor with imm -1 is bitwise not on 64 bits', 'xor', 0x123456789abcdef0, -1, 'imm',
          expect=0xedcba9876543210f)
    binop('alu32-xor-imm-negative', 'xor32 with imm -1 is bitwise not of the low half, zero-extended', 'xor32',
          0x123456789abcdef0, -1, 'imm', expect=0x6543210f)
    binop('alu64-xor-self', 'xor of a register with itself is 0', 'xor', 0x123456789abcdef0, 0x123456789abcdef0, 'reg',
          expect=0)
    # shifts: masking of the shift amount
    binop('alu64-lsh-63', 'lsh by 63 moves bit 0 to bit 63', 'lsh', 1, 63, 'imm', expect=0x8000000000000000)
    binop('alu64-lsh-32', 'lsh by 32 moves the low half to the high half', 'lsh', 0x89abcdef, 32, 'imm',
          expect=0x89abcdef00000000)
    binop('alu64-lsh-reg-masked-64', 'lsh by a register holding 64 shifts by 64 & 63 = 0', 'lsh', 0x1234, 64, 'reg',
          expect=0x1234)
    binop('alu64-lsh-reg-masked-65', 'lsh by a register holding 65 shifts by 1', 'lsh', 0x1234, 65, 'reg',
          expect=0x2468)
    binop('alu64-lsh-reg-masked-high', 'lsh by 0xffffffff00000044: only the low 6 bits (4) count', 'lsh', 0x1234,
          0xffffffff00000044, 'reg', expect=0x12340)
    binop('alu32-lsh-31', 'lsh32 by 31 moves bit 0 to bit 31, zero-extended', 'lsh32', 0xffffffff00000003, 31, 'imm',
          expect=0x80000000)
    binop('alu32-lsh-reg-masked-32', 'lsh32 by a register holding 32 shifts by 32 & 31 = 0 (upper half cleared)',
          'lsh32', 0xabcdef0012345678, 32, 'reg', expect=0x12345678)
    binop('alu32-lsh-reg-masked-33', 'lsh32 by a register holding 33 shifts by 1', 'lsh32', 0x40000001, 33, 'reg',
          expect=0x80000002)
    binop('alu32-lsh-overflow', 'lsh32 drops bits shifted past bit 31 (no carry into the upper half)', 'lsh32',
          0xf0000001, 4, 'imm', expect=0x10)
    binop('alu64-rsh-63', 'rsh by 63 leaves only the former top bit', 'rsh', 0x8000000000000000, 63, 'imm', expect=1)
    binop('alu64-rsh-logical', 'rsh is logical: zeros come in from the top', 'rsh', 0xff00000000000000, 8, 'imm',
          expect=0x00ff000000000000)
    binop('alu64-rsh-reg-masked-64', 'rsh by a register holding 64 shifts by 0', 'rsh', 0xabcdef, 64, 'reg',
          expect=0xabcdef)
    binop('alu64-rsh-reg-masked-68', 'rsh by a register holding 68 shifts by 4', 'rsh', 0xabcdef, 68, 'reg',
          expect=0xabcde)
    binop('alu32-rsh-logical', 'rsh32 is logical on the low half: 0x80000000 >> 31 = 1', 'rsh32', 0x80000000, 31,
          'imm', expect=1)
    binop('alu32-rsh-reg-masked-32', 'rsh32 by a register holding 32 shifts by 0 (upper half cleared)', 'rsh32',
          0xffffffff87654321, 32, 'reg', expect=0x87654321)
    binop('alu32-rsh-reg-masked-36', 'rsh32 by a register holding 36 shifts by 4', 'rsh32', 0x87654321, 36, 'reg',
          expect=0x08765432)
    binop('alu32-rsh-ignores-upper', 'rsh32 does not shift bits of the upper half into the low half', 'rsh32',
          0xffffffff00000000, 4, 'imm', expect=0)
    binop('alu64-arsh-sign-fill', 'arsh fills with the sign bit: 0x8000000000000000 s>> 63 = -1', 'arsh',
          0x8000000000000000, 63, 'imm', expect=M64)
    binop('alu64-arsh-positive', 'arsh of a positive value behaves like rsh', 'arsh', 0x4000000000000000, 62, 'imm',
          expect=1)
    binop('alu64-arsh-neg-small', 'arsh -16 s>> 2 = -4', 'arsh', -16, 2, 'reg', expect=(-4) & M64)
    binop('alu64-arsh-reg-masked-64', 'arsh by a register holding 64 shifts by 0', 'arsh', -16, 64, 'reg',
          expect=(-16) & M64)
    binop('alu64-arsh-reg-masked-66', 'arsh by a register holding 66 shifts by 2', 'arsh', -16, 66, 'reg',
          expect=(-4) & M64)
    binop('alu32-arsh-sign-fill', 'arsh32 fills from bit 31, result zero-extended: 0x80000000 s>> 4 = 0xf8000000',
          'arsh32', 0x80000000, 4, 'imm', expect=0xf8000000)
    binop('alu32-arsh-ignores-bit-63', 'arsh32 uses bit 31, not bit 63, as the sign', 'arsh32', 0x8000000070000000, 4,
          'imm', expect=0x07000000)
    binop('alu32-arsh-reg-masked-32', 'arsh32 by a register holding 32 shifts by 0', 'arsh32', 0xfffffff0, 32, 'reg',
          expect=0xfffffff0)
    binop('alu32-arsh-reg-masked-35', 'arsh32 by a register holding 35 shifts by 3', 'arsh32', 0xfffffff0, 35, 'reg',
          expect=0xfffffffe)
    # immediate shift amounts are masked the same way (the Linux verifier
    # refuses such immediates, RFC 9669 defines them by the mask)
    binop('alu64-lsh-imm-masked-64', 'lsh by imm 64 shifts by 64 & 63 = 0', 'lsh', 0x1234, 64, 'imm', expect=0x1234)
    binop('alu64-rsh-imm-masked-65', 'rsh by imm 65 shifts by 65 & 63 = 1', 'rsh', 0x1234, 65, 'imm', expect=0x91a)
    binop('alu64-arsh-imm-masked-127', 'arsh by imm 127 shifts by 127 & 63 = 63', 'arsh', 0x8000000000000000, 127,
          'imm', expect=M64)
    binop('alu32-lsh-imm-masked-32', 'lsh32 by imm 32 shifts by 32 & 31 = 0 (upper half cleared)', 'lsh32',
          0xffffffff00001234, 32, 'imm', expect=0x1234)
    binop('alu32-rsh-imm-masked-33', 'rsh32 by imm 33 shifts by 33 & 31 = 1', 'rsh32', 0x1234, 33, 'imm',
          expect=0x91a)
    binop('alu32-arsh-imm-masked-63', 'arsh32 by imm 63 shifts by 63 & 31 = 31', 'arsh32', 0x80000000, 63, 'imm',
          expect=0xffffffff)
    # shifts by zero
    binop('alu64-lsh-0', 'lsh by 0 leaves dst unchanged', 'lsh', 0xfedcba9876543210, 0, 'imm',
          expect=0xfedcba9876543210)
    binop('alu32-rsh-0', 'rsh32 by 0 leaves the low half and clears the upper half', 'rsh32', 0xfedcba9876543210, 0,
          'imm', expect=0x76543210)
    # mov
    binop('alu64-mov-imm-negative', 'mov imm -1 sign-extends to 0xffffffffffffffff', 'mov', 0, -1, 'imm', expect=M64)
    binop('alu32-mov-imm-negative', 'mov32 imm -1 gives 0x00000000ffffffff', 'mov32', 0x123456789, -1, 'imm',
          expect=0xffffffff)
    binop('alu64-mov-imm-min', 'mov imm INT32_MIN sign-extends to 0xffffffff80000000', 'mov', 0, -0x80000000, 'imm',
          expect=0xffffffff80000000)
    binop('alu32-mov-imm-min', 'mov32 imm INT32_MIN gives 0x0000000080000000', 'mov32', 0, -0x80000000, 'imm',
          expect=0x80000000)
    binop('alu32-mov-reg-zero-extends', 'mov32 from a register copies only the low half', 'mov32', 0,
          0xffffffff80000001, 'reg', expect=0x80000001)
    binop('alu64-mov-reg-full', 'mov from a register copies all 64 bits', 'mov', 0, 0x8000000180000001, 'reg',
          expect=0x8000000180000001)
    T('alu32-mov-self-zero-extends', 'mov32 %rX, %rX clears the upper half of the register',
      ['lddw %r0, 0xabcdef0123456789', 'mov32 %r0, %r0', 'exit'], expect=0x23456789)
    # neg
    T('alu64-neg-zero', 'neg 0 = 0', ['mov %r0, 0', 'neg %r0', 'exit'], expect=0)
    T('alu64-neg-min', 'neg INT64_MIN = INT64_MIN (wraps)', ['lddw %r0, 0x8000000000000000', 'neg %r0', 'exit'],
      expect=0x8000000000000000)
    T('alu64-neg-negative', 'neg -5 = 5', ['mov %r0, -5', 'neg %r0', 'exit'], expect=5)
    T('alu32-neg-zero-extends', 'neg32 1 = 0xffffffff, upper half zero', ['lddw %r0, 0xffffffff00000001', 'neg32 %r0',
                                                                           'exit'], expect=0xffffffff)
    T('alu32-neg-min', 'neg32 INT32_MIN = 0x80000000', ['mov32 %r0, -2147483648', 'neg32 %r0', 'exit'],
      expect=0x80000000)
    # several operations, one register flowing through
    T('alu64-chain', 'a chain of 64-bit operations on one register',
      ['mov %r0, 1', 'lsh %r0, 40', 'add %r0, 0x7ff', 'mul %r0, 3', 'sub %r0, 0x100', 'xor %r0, 0x55', 'rsh %r0, 1',
       'or %r0, 0x10000', 'and %r0, -2', 'exit'])
    T('alu32-chain', 'a chain of 32-bit operations; each result is zero-extended',
      ['lddw %r0, 0xffffffffffffffff', 'add32 %r0, 2', 'lsh32 %r0, 30', 'mul32 %r0, 3', 'sub32 %r0, 1',
       'arsh32 %r0, 4', 'xor32 %r0, 0x1234', 'exit'])
    T('alu64-chain-with-alu32', 'a 32-bit op in the middle of 64-bit ops clears the upper half',
      ['lddw %r6, 0x1122334455667788', 'mov %r7, %r6', 'add32 %r7, 0', 'sub %r6, %r7', 'mov %r0, %r6', 'exit'],
      expect=0x1122334400000000)


def gen_movsx():
    cases = [
        ('alu32-movsx832-negative', 'movsx832: sign-extend byte 0x80 to 32 bits, zero-extend to 64', 'movsx832',
         0x1234567880, 0xffffff80),
        ('alu32-movsx832-positive', 'movsx832: byte 0x7f stays 0x7f; upper bytes of src ignored', 'movsx832',
         0xffffffffffffff7f, 0x7f),
        ('alu32-movsx1632-negative', 'movsx1632: sign-extend 0x8001 to 0xffff8001, upper half zero', 'movsx1632',
         0xffff00008001, 0xffff8001),
        ('alu32-movsx1632-positive', 'movsx1632: 0x7fff stays 0x7fff', 'movsx1632', 0xabcd7fff, 0x7fff),
        ('alu64-movsx864-negative', 'movsx864: sign-extend byte 0xfe to 64 bits (-2)', 'movsx864', 0x12345678fe,
         0xfffffffffffffffe),
        ('alu64-movsx864-positive', 'movsx864: byte 0x40 stays 0x40', 'movsx864', 0xffffffffffffff40, 0x40),
        ('alu64-movsx1664-negative', 'movsx1664: sign-extend 0x8000 to 0xffffffffffff8000', 'movsx1664', 0x123458000,
         0xffffffffffff8000),
        ('alu64-movsx1664-positive', 'movsx1664: 0x1234 stays 0x1234', 'movsx1664', 0xffffffffffff1234, 0x1234),
        ('alu64-movsx3264-negative', 'movsx3264: sign-extend 0x80000000 to 0xffffffff80000000', 'movsx3264',
         0x80000000, 0xffffffff80000000),
        ('alu64-movsx3264-positive', 'movsx3264: 0x7fffffff stays positive; upper half of src ignored', 'movsx3264',
         0x123456787fffffff, 0x7fffffff),
    ]
    for name, c, mnem, s, e in cases:
        dr, sr = next_pair()
        T(name, c, [li(dr, 0x5555555555555555), li(sr, s), '%s %%r%d, %%r%d' % (mnem, dr, sr)] +
          (['mov %%r0, %%r%d' % dr] if dr else []) + ['exit'], expect=e)
    T('alu64-movsx864-same-reg', 'movsx864 with dst == src', ['mov %r0, 0x180', 'movsx864 %r0, %r0', 'exit'],
      expect=0xffffffffffffff80)
    T('alu32-movsx1632-same-reg', 'movsx1632 with dst == src, upper half cleared',
      ['lddw %r0, 0xffffffffffffffff', 'movsx1632 %r0, %r0', 'exit'], expect=0xffffffff)


def gen_endian():
    v = 0x0123456789abcdef
    cases = [
        ('le16', 0xcdef, 'le16 on a little-endian host keeps the low 16 bits, zero-extended'),
        ('le32', 0x89abcdef, 'le32 on a little-endian host keeps the low 32 bits, zero-extended'),
        ('le64', v, 'le64 on a little-endian host leaves the register unchanged'),
        ('be16', 0xefcd, 'be16 swaps the two low bytes and clears the rest'),
        ('be32', 0xefcdab89, 'be32 swaps the four low bytes and clears the upper half'),
        ('be64', 0xefcdab8967452301, 'be64 reverses all eight bytes'),
        ('bswap16', 0xefcd, 'bswap16 (v4) swaps the two low bytes unconditionally and clears the rest'),
        ('bswap32', 0xefcdab89, 'bswap32 (v4) swaps the four low bytes unconditionally, upper half cleared'),
        ('bswap64', 0xefcdab8967452301, 'bswap64 (v4) reverses all eight bytes unconditionally'),
    ]
    for mnem, e, c in cases:
        T('endian-%s' % mnem, c, [li(0, v), '%s %%r0' % mnem, 'exit'], expect=e)
    T('endian-be16-twice', 'be16 twice gives back the low 16 bits', ['lddw %r3, 0xffffffffffff1234', 'be16 %r3',
                                                                      'be16 %r3', 'mov %r0, %r3', 'exit'],
      expect=0x1234)
    T('endian-be32-twice', 'be32 twice gives back the low 32 bits', ['lddw %r5, 0xffffffff12345678', 'be32 %r5',
                                                                      'be32 %r5', 'mov %r0, %r5', 'exit'],
      expect=0x12345678)
    T('endian-be64-twice', 'be64 twice is the identity', ['lddw %r9, 0x8877665544332211', 'be64 %r9', 'be64 %r9',
                                                           'mov %r0, %r9', 'exit'], expect=0x8877665544332211)
    T('endian-le16-high-bits', 'le16 clears every bit above 15', ['mov %r0, -1', 'le16 %r0', 'exit'], expect=0xffff)
    T('endian-le32-high-bits', 'le32 clears every bit above 31', ['mov %r0, -1', 'le32 %r0', 'exit'],
      expect=0xffffffff)
    T('endian-bswap16-high-bits', 'bswap16 of 0xffffffffffff00ff is 0xff00', ['lddw %r0, 0xffffffffffff00ff',
                                                                               'bswap16 %r0', 'exit'], expect=0xff00)
    T('endian-bswap32-high-bits', 'bswap32 of 0xffffffff000000ff is 0xff000000',
      ['lddw %r0, 0xffffffff000000ff', 'bswap32 %r0', 'exit'], expect=0xff000000)
    T('endian-bswap64-twice', 'bswap64 twice is the identity', ['lddw %r4, 0x0102030405060708', 'bswap64 %r4',
                                                                 'bswap64 %r4', 'mov %r0, %r4', 'exit'],
      expect=0x0102030405060708)
    T('endian-be32-load', 'be32 of a word loaded from memory reads it in network order',
      ['ldxw %r0, [%r1+0]', 'be32 %r0', 'exit'], mem='12 34 56 78', expect=0x12345678)
    T('endian-be16-load', 'be16 of a half word loaded from memory reads it in network order',
      ['ldxh %r0, [%r1+2]', 'be16 %r0', 'exit'], mem='00 00 ab cd', expect=0xabcd)


# ---------------------------------------------------------------------------
# Jumps
# ---------------------------------------------------------------------------

# (taken pair, not-taken pair) of signed Python ints per condition
JCASES = {
    'jeq': ((5, 5), (5, 6)),
    'jne': ((5, 6), (5, 5)),
    'jgt': ((6, 5), (5, 5)),
    'jge': ((5, 5), (4, 5)),
    'jlt': ((4, 5), (5, 5)),
    'jle': ((5, 5), (6, 5)),
    'jset': ((0xa, 0x2), (0xa, 0x5)),
    'jsgt': ((-1, -2), (-2, -1)),
    'jsge': ((-2, -2), (-3, -2)),
    'jslt': ((-3, -2), (-2, -2)),
    'jsle': ((-2, -2), (-1, -2)),
}
JDESC = {
    'jeq': '==', 'jne': '!=', 'jgt': 'unsigned >', 'jge': 'unsigned >=', 'jlt': 'unsigned <', 'jle': 'unsigned <=',
    'jset': '& (any common bit)', 'jsgt': 'signed >', 'jsge': 'signed >=', 'jslt': 'signed <', 'jsle': 'signed <=',
}


def jump_asm(mnem, dreg, dval, src, sval, pre=None):
    """r0 = 2 if the branch is taken, 1 if not."""
    lines = list(pre or [])
    lines += ['mov %r0, 1', li(dreg, dval)]
    if src is None:
        lines.append('%s %%r%d, %s, taken' % (mnem, dreg, fmt_imm(sval)))
    else:
        lines += [li(src, sval), '%s %%r%d, %%r%d, taken' % (mnem, dreg, src)]
    lines += ['exit', 'taken:', 'mov %r0, 2', 'exit']
    return lines


def jcond_py(op, is64, a, b):
    return model.jcond(model.JMP_OPS[op], is64, a, b)


def gen_jumps():
    for op, pairs in JCASES.items():
        for width in (64, 32):
            mnem = op + ('32' if width == 32 else '')
            for form in ('imm', 'reg'):
                for outcome, (a, b) in zip(('taken', 'not-taken'), pairs):
                    dr, sr = next_pair()
                    if dr == 0:
                        dr = 3
                    if sr in (0, dr):
                        sr = 4 if dr != 4 else 5
                    a64, b64 = a & M64, b & M64
                    if width == 32:
                        # upper halves that would flip a 64-bit compare where possible
                        want = outcome == 'taken'
                        chosen = None
                        for hi_a, hi_b in ((0x1, 0), (0x80000000, 0), (0, 0x1), (0, 0x80000000), (0x7fffffff, 0),
                                           (0xdeadbeef, 0)):
                            aa = (hi_a << 32) | (a64 & M32)
                            bb = (hi_b << 32) | (b64 & M32) if form == 'reg' else b64
                            if jcond_py(op, True, aa, bb) != want:
                                chosen = (aa, bb)
                                break
                        if chosen is None:
                            chosen = ((0xdeadbeef << 32) | (a64 & M32),
                                      ((0x12345678 << 32) | (b64 & M32)) if form == 'reg' else b64)
                        a64, b64 = chosen
                        assert jcond_py(op, False, a64, b64) == want
                    if form == 'imm':
                        asm = jump_asm(mnem, dr, a64, None, b)
                    else:
                        asm = jump_asm(mnem, dr, a64, sr, b64)
                    cmt = '%s %s: branch on %s%s is %s' % (
                        mnem, 'K' if form == 'imm' else 'X', JDESC[op], ' of the low 32 bits' if width == 32 else '',
                        outcome.replace('-', ' '))
                    T('jmp%s-%s-%s-%s' % ('32' if width == 32 else '', op, form, outcome), cmt, asm,
                      expect=2 if outcome == 'taken' else 1)


def gen_jump_edges():
    J = lambda name, c, mnem, a, b, form, exp, pre=None: T(
        name, c, jump_asm(mnem, 1, a, None if form == 'imm' else 2, b, pre), expect=exp)
    J('jmp-jgt-unsigned-neg1', 'jgt is unsigned: -1 (0xffffffffffffffff) > 1', 'jgt', M64, 1, 'imm', 2)
    J('jmp-jsgt-signed-neg1', 'jsgt is signed: -1 > 1 is false', 'jsgt', M64, 1, 'imm', 1)
    J('jmp-jlt-imm-sign-extended', 'jlt 1 < imm -1: the imm is sign-extended to 0xffffffffffffffff', 'jlt', 1, -1,
      'imm', 2)
    J('jmp-jslt-signed-neg1', 'jslt -1 < 1 (signed)', 'jslt', M64, 1, 'imm', 2)
    J('jmp-jge-unsigned-boundary', 'jge 0x8000000000000000 >= 0x7fffffffffffffff (unsigned)', 'jge',
      0x8000000000000000, 0x7fffffffffffffff, 'reg', 2)
    J('jmp-jsge-signed-boundary', 'jsge INT64_MIN >= INT64_MAX is false (signed)', 'jsge', 0x8000000000000000,
      0x7fffffffffffffff, 'reg', 1)
    J('jmp-jle-unsigned-boundary', 'jle 0x7fffffffffffffff <= 0x8000000000000000 (unsigned)', 'jle',
      0x7fffffffffffffff, 0x8000000000000000, 'reg', 2)
    J('jmp-jsle-signed-boundary', 'jsle INT64_MAX <= INT64_MIN is false (signed)', 'jsle', 0x7fffffffffffffff,
      0x8000000000000000, 'reg', 1)
    J('jmp-jeq-imm-neg1', 'jeq 0xffffffffffffffff == imm -1 (sign-extended): taken', 'jeq', M64, -1, 'imm', 2)
    J('jmp-jeq-imm-neg1-zero-ext', 'jeq 0x00000000ffffffff == imm -1 is false on 64 bits', 'jeq', 0xffffffff, -1,
      'imm', 1)
    J('jmp32-jeq-imm-neg1', 'jeq32 0x00000000ffffffff == imm -1 compares 32 bits: taken', 'jeq32', 0xffffffff, -1,
      'imm', 2)
    J('jmp-jeq-upper-differs', 'jeq compares all 64 bits: 0x100000005 != 5', 'jeq', 0x100000005, 5, 'reg', 1)
    J('jmp32-jeq-upper-ignored', 'jeq32 ignores the upper halves: 0x100000005 == 0x200000005', 'jeq32', 0x100000005,
      0x200000005, 'reg', 2)
    J('jmp-jset-upper-bit', 'jset sees bits in the upper half', 'jset', 0x100000000, 0x300000000, 'reg', 2)
    J('jmp32-jset-upper-bit', 'jset32 ignores bits in the upper half', 'jset32', 0x100000000, 0x300000000, 'reg', 1)
    J('jmp-jset-imm-negative', 'jset with imm -0x80000000 tests bits 31..63 (sign-extended)', 'jset',
      0x4000000000000000, -0x80000000, 'imm', 2)
    J('jmp32-jsgt-sign-bit-31', 'jsgt32 treats 0x80000000 as negative: INT32_MIN > INT32_MAX is false', 'jsgt32',
      0x80000000, 0x7fffffff, 'reg', 1)
    J('jmp32-jgt-sign-bit-31', 'jgt32 treats 0x80000000 as unsigned 2^31 > 0x7fffffff', 'jgt32', 0x80000000,
      0x7fffffff, 'reg', 2)
    J('jmp-jsgt-low-half-negative', 'jsgt (64-bit): 0x0000000080000000 is positive, > 0x7fffffff', 'jsgt',
      0x80000000, 0x7fffffff, 'reg', 2)
    J('jmp32-jslt-imm-negative', 'jslt32 0xfffffffe (-2) < imm -1', 'jslt32', 0x7ffffffffffffffe, -1, 'imm', 2)
    J('jmp32-jgt-upper-ignored', 'jgt32: 0x100000000 has low half 0, not > 1', 'jgt32', 0x100000000, 1, 'imm', 1)
    J('jmp32-jlt-imm-u32', 'jlt32 with imm -1 compares against 0xffffffff', 'jlt32', 0xfffffffe, -1, 'imm', 2)
    J('jmp32-jsge-zero-vs-neg', 'jsge32 0 >= -1 where dst is 0x8000000000000000 (low half 0)', 'jsge32',
      0x8000000000000000, -1, 'imm', 2)
    J('jmp-jne-same-low-half', 'jne (64-bit): values equal in the low half but not the upper are !=', 'jne',
      0xffffffff00000001, 1, 'imm', 2)
    J('jmp32-jne-same-low-half', 'jne32: values equal in the low half are not !=', 'jne32', 0xffffffff00000001, 1,
      'imm', 1)
    J('jmp-jsle-neg-vs-zero', 'jsle -1 <= 0', 'jsle', M64, 0, 'imm', 2)
    J('jmp-jle-zero-vs-zero', 'jle 0 <= 0', 'jle', 0, 0, 'imm', 2)
    J('jmp-jgt-zero-vs-max', 'jgt 0 > 0xffffffffffffffff is false', 'jgt', 0, M64, 'reg', 1)
    T('jmp-jeq-same-reg', 'jeq %rX, %rX is always taken',
      ['mov %r0, 1', 'lddw %r4, 0xdeadbeefcafe', 'jeq %r4, %r4, t', 'exit', 't:', 'mov %r0, 2', 'exit'], expect=2)
    T('jmp-jset-zero', 'jset with no common bit (0 & x) is not taken',
      ['mov %r0, 1', 'mov %r4, 0', 'jset %r4, -1, t', 'exit', 't:', 'mov %r0, 2', 'exit'], expect=1)
    # unconditional jumps
    T('ja-forward', 'ja skips forward over instructions',
      ['mov %r0, 1', 'ja done', 'mov %r0, 2', 'mov %r0, 3', 'done:', 'exit'], expect=1)
    T('ja-offset-numeric', 'ja +1 skips exactly one instruction',
      ['mov %r0, 1', 'ja +1', 'mov %r0, 2', 'add %r0, 10', 'exit'], expect=11)
    T('ja-zero-offset', 'ja +0 jumps to the next instruction',
      ['mov %r0, 7', 'ja +0', 'add %r0, 1', 'exit'], expect=8)
    T('ja-backward-loop', 'ja backward closes a loop that counts to 10',
      ['mov %r0, 0', 'loop:', 'add %r0, 1', 'jge %r0, 10, done', 'ja loop', 'done:', 'exit'], expect=10)
    T('ja-to-exit', 'ja to a final exit instruction',
      ['mov %r0, 9', 'ja end', 'mov %r0, 0', 'end:', 'exit'], expect=9)
    T('ja32-forward', 'ja32 (gotol, 32-bit offset in imm) skips forward',
      ['mov %r0, 1', 'ja32 done', 'mov %r0, 2', 'done:', 'add %r0, 4', 'exit'], expect=5)
    T('ja32-backward-loop', 'ja32 backward closes a loop',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'add %r0, 3', 'add %r3, 1', 'jeq %r3, 7, done', 'ja32 loop', 'done:',
       'exit'], expect=21)
    T('ja32-offset-numeric', 'ja32 +2 skips exactly two instructions',
      ['mov %r0, 1', 'ja32 +2', 'mov %r0, 2', 'mov %r0, 3', 'add %r0, 10', 'exit'], expect=11)
    T('ja32-last-instruction', 'a program may end with a backward ja32 instead of exit',
      ['mov %r0, 0', 'ja32 body', 'top:', 'exit', 'body:', 'add %r0, 5', 'ja32 top'], expect=5)
    T('ja-last-instruction', 'a program may end with a backward ja instead of exit',
      ['mov %r0, 0', 'ja body', 'top:', 'exit', 'body:', 'add %r0, 6', 'ja top'], expect=6)
    T('jmp-backward-conditional', 'a conditional jump with a negative offset closes a loop',
      ['mov %r0, 0', 'mov %r1, 5', 'loop:', 'add %r0, %r1', 'sub %r1, 1', 'jne %r1, 0, loop', 'exit'], expect=15)
    T('jmp32-backward-conditional', 'a jmp32 backward loop that counts with the upper half dirty',
      ['mov %r0, 0', 'lddw %r1, 0xffffffff00000004', 'loop:', 'add %r0, 1', 'sub32 %r1, 1', 'lddw %r2, 0x700000000',
       'or %r1, %r2', 'jne32 %r1, 0, loop', 'exit'], expect=4)
    T('jmp-offset-numeric', 'conditional jump with a numeric offset +2',
      ['mov %r0, 1', 'mov %r1, 1', 'jeq %r1, 1, +2', 'mov %r0, 2', 'exit', 'mov %r0, 3', 'exit'], expect=3)
    T('jmp-to-next', 'a taken conditional jump with offset +0 falls to the next instruction',
      ['mov %r0, 1', 'jeq %r0, 1, +0', 'add %r0, 1', 'exit'], expect=2)
    T('jmp-many-exits', 'several exit instructions; only the reached one counts',
      ['mov %r0, 3', 'jgt %r0, 5, a', 'jgt %r0, 2, b', 'mov %r0, 100', 'exit', 'a:', 'mov %r0, 200', 'exit', 'b:',
       'mov %r0, 300', 'exit'], expect=300)
    T('jmp-chain-ladder', 'a ladder of comparisons selects the matching case',
      ['mov %r1, 7', 'mov %r0, 0', 'jeq %r1, 5, c5', 'jeq %r1, 6, c6', 'jeq %r1, 7, c7', 'exit',
       'c5:', 'mov %r0, 50', 'exit', 'c6:', 'mov %r0, 60', 'exit', 'c7:', 'mov %r0, 70', 'exit'], expect=70)
    T('jmp-jset-reg-loop', 'jset as a loop test: count shifts until bit 10 is set',
      ['mov %r0, 0', 'mov %r1, 1', 'loop:', 'jset %r1, 0x400, done', 'lsh %r1, 1', 'add %r0, 1', 'ja loop', 'done:',
       'exit'], expect=10)


# ---------------------------------------------------------------------------
# Loads and stores
# ---------------------------------------------------------------------------

def gen_mem():
    m16 = '00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff'
    T('ldxb', 'ldxb loads one byte, zero-extended', ['ldxb %r0, [%r1+2]', 'exit'], mem=m16, expect=0x22)
    T('ldxh', 'ldxh loads a little-endian half word', ['ldxh %r0, [%r1+2]', 'exit'], mem=m16, expect=0x3322)
    T('ldxw', 'ldxw loads a little-endian word', ['ldxw %r0, [%r1+4]', 'exit'], mem=m16, expect=0x77665544)
    T('ldxdw', 'ldxdw loads a little-endian double word', ['ldxdw %r0, [%r1+8]', 'exit'], mem=m16,
      expect=0xffeeddccbbaa9988)
    T('ldxb-high-bit', 'ldxb of 0xff is 0xff, not sign-extended', ['ldxb %r0, [%r1+15]', 'exit'], mem=m16,
      expect=0xff)
    T('ldxh-high-bit', 'ldxh of 0xffee is zero-extended', ['ldxh %r0, [%r1+14]', 'exit'], mem=m16, expect=0xffee)
    T('ldxw-high-bit', 'ldxw of 0xffeeddcc is zero-extended', ['ldxw %r0, [%r1+12]', 'exit'], mem=m16,
      expect=0xffeeddcc)
    T('ldxb-overwrites-dst', 'ldxb replaces all 64 bits of dst',
      ['mov %r0, -1', 'ldxb %r0, [%r1+1]', 'exit'], mem=m16, expect=0x11)
    T('ldxw-negative-offset', 'a load with a negative offset from an advanced pointer',
      ['mov %r3, %r1', 'add %r3, 12', 'ldxw %r0, [%r3-8]', 'exit'], mem=m16, expect=0x77665544)
    T('ldxdw-every-register', 'loads through a pointer copied into r9 into r8',
      ['mov %r9, %r1', 'ldxdw %r8, [%r9+0]', 'mov %r0, %r8', 'exit'], mem=m16, expect=0x7766554433221100)
    T('ldx-unaligned', 'unaligned loads are allowed in memory given to the program',
      ['ldxw %r0, [%r1+1]', 'ldxh %r2, [%r1+7]', 'lsh %r0, 16', 'or %r0, %r2', 'exit'], mem=m16,
      expect=(0x44332211 << 16) | 0x8877)
    T('ldxsb-negative', 'ldxsb sign-extends byte 0x80 to 0xffffffffffffff80', ['ldxsb %r0, [%r1+0]', 'exit'],
      mem='80 7f 00 80 ff 7f ff ff 00 00 00 80', expect=0xffffffffffffff80)
    T('ldxsb-positive', 'ldxsb of 0x7f is 0x7f', ['ldxsb %r0, [%r1+1]', 'exit'],
      mem='80 7f 00 80 ff 7f ff ff 00 00 00 80', expect=0x7f)
    T('ldxsh-negative', 'ldxsh sign-extends 0x8000 to 0xffffffffffff8000', ['ldxsh %r0, [%r1+2]', 'exit'],
      mem='80 7f 00 80 ff 7f ff ff 00 00 00 80', expect=0xffffffffffff8000)
    T('ldxsh-positive', 'ldxsh of 0x7fff is 0x7fff', ['ldxsh %r0, [%r1+4]', 'exit'],
      mem='80 7f 00 80 ff 7f ff ff 00 00 00 80', expect=0x7fff)
    T('ldxsw-negative', 'ldxsw sign-extends 0x80000000 to 0xffffffff80000000', ['ldxsw %r0, [%r1+8]', 'exit'],
      mem='80 7f 00 80 ff 7f ff ff 00 00 00 80', expect=0xffffffff80000000)
    T('ldxsw-minus-one', 'ldxsw of 0xffffffff is -1', ['ldxsw %r0, [%r1+4]', 'exit'],
      mem='80 7f 00 80 ff ff ff ff 00 00 00 80', expect=M64)
    T('ldxsw-positive', 'ldxsw of 0x7fffffff stays positive', ['ldxsw %r0, [%r1+0]', 'exit'],
      mem='ff ff ff 7f', expect=0x7fffffff)
    T('ldxsb-negative-offset', 'ldxsb through a negative offset on the stack',
      ['stb [%r10-1], 0xf0', 'ldxsb %r0, [%r10-1]', 'exit'], expect=(-16) & M64)
    # stores of immediates
    z16 = '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'
    T('stb', 'stb writes one byte and nothing else', ['stb [%r1+2], 0x11', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16,
      expect=0x110000)
    T('sth', 'sth writes a little-endian half word', ['sth [%r1+2], 0x2211', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16,
      expect=0x22110000)
    T('stw', 'stw writes a little-endian word', ['stw [%r1+4], 0x44332211', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16,
      expect=0x4433221100000000)
    T('stdw', 'stdw writes the immediate as a 64-bit value', ['stdw [%r1+8], 0x44332211', 'ldxdw %r0, [%r1+8]', 'exit'],
      mem=z16, expect=0x44332211)
    T('stdw-negative', 'stdw with imm -2 stores the sign-extended 0xfffffffffffffffe',
      ['stdw [%r1+0], -2', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0xfffffffffffffffe)
    T('stw-negative', 'stw with imm -1 stores 0xffffffff and leaves the next word alone',
      ['stw [%r1+0], -1', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0xffffffff)
    T('sth-truncates', 'sth stores the low 16 bits of the immediate',
      ['sth [%r1+0], 0x12345', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0x2345)
    T('stb-truncates', 'stb stores the low 8 bits of the immediate',
      ['stb [%r1+0], -2', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0xfe)
    # stores of registers
    T('stxb', 'stxb stores the low byte of a register',
      [li(2, 0x1122334455667788), 'stxb [%r1+1], %r2', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0x8800)
    T('stxh', 'stxh stores the low half word of a register',
      [li(3, 0x1122334455667788), 'stxh [%r1+2], %r3', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16, expect=0x77880000)
    T('stxw', 'stxw stores the low word of a register',
      [li(4, 0x1122334455667788), 'stxw [%r1+4], %r4', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16,
      expect=0x5566778800000000)
    T('stxdw', 'stxdw stores all 64 bits of a register',
      [li(5, 0x1122334455667788), 'stxdw [%r1+8], %r5', 'ldxdw %r0, [%r1+8]', 'exit'], mem=z16,
      expect=0x1122334455667788)
    T('stx-keeps-neighbours', 'a byte store between bytes leaves its neighbours intact',
      ['mov %r2, 0', 'stxb [%r1+3], %r2', 'ldxdw %r0, [%r1+0]', 'exit'], mem='ff ff ff ff ff ff ff ff',
      expect=0xffffffff00ffffff)
    T('stx-then-ldx-sizes', 'a double word stored, then read back in parts',
      [li(2, 0x0102030405060708), 'stxdw [%r1+0], %r2', 'ldxb %r3, [%r1+7]', 'ldxh %r4, [%r1+2]',
       'ldxw %r5, [%r1+4]', 'mov %r0, %r3', 'lsh %r0, 16', 'or %r0, %r4', 'lsh %r0, 32', 'or %r0, %r5', 'exit'],
      mem=z16[:23], expect=(0x01 << 48) | (0x0506 << 32) | 0x01020304)
    T('mem-write-persists', 'memory written by the program reads back after other work',
      ['stdw [%r1+0], 5', 'mov %r3, 100', 'mul %r3, 3', 'ldxdw %r0, [%r1+0]', 'add %r0, %r3', 'exit'], mem=z16[:23],
      expect=305)
    T('mem-length-in-r2', 'r2 holds the length of the memory given to the program',
      ['mov %r0, %r2', 'exit'], mem='01 02 03 04 05 06 07 08 09 0a 0b', expect=11)
    T('mem-no-mem-r1-r2-zero', 'without memory r1 and r2 are 0',
      ['mov %r0, %r1', 'or %r0, %r2', 'add %r0, 3', 'exit'], expect=3)
    T('mem-pointer-difference', 'pointer arithmetic: (r1 + 8) - r1 = 8',
      ['mov %r3, %r1', 'add %r3, 8', 'sub %r3, %r1', 'mov %r0, %r3', 'exit'], mem=z16, expect=8)
    # stack
    T('stack-stdw', 'the stack below r10 is writable: stdw then ldxdw at r10-8',
      ['stdw [%r10-8], 0x1234', 'ldxdw %r0, [%r10-8]', 'exit'], expect=0x1234)
    T('stack-stxdw-full', 'a 64-bit register value round-trips through the stack',
      [li(3, 0xfedcba9876543210), 'stxdw [%r10-16], %r3', 'ldxdw %r0, [%r10-16]', 'exit'], expect=0xfedcba9876543210)
    T('stack-bottom', 'the stack is 512 bytes: r10-512 is its lowest byte',
      ['stdw [%r10-512], 77', 'stb [%r10-1], 3', 'ldxdw %r0, [%r10-512]', 'ldxb %r1, [%r10-1]', 'add %r0, %r1', 'exit'],
      expect=80)
    T('stack-mixed-sizes', 'stores of every size on the stack, read back as one double word',
      ['stb [%r10-8], 0x01', 'stb [%r10-7], 0x02', 'sth [%r10-6], 0x0403', 'stw [%r10-4], 0x08070605',
       'ldxdw %r0, [%r10-8]', 'exit'], expect=0x0807060504030201)
    T('stack-pointer-copy', 'a copy of r10 can be used to address the stack',
      ['mov %r6, %r10', 'add %r6, -32', 'stw [%r6+4], 0x55', 'ldxw %r0, [%r10-28]', 'exit'], expect=0x55)
    T('stack-array-loop', 'fill a 16-entry array on the stack in a loop and sum it',
      ['mov %r6, %r10', 'add %r6, -128', 'mov %r2, 0', 'fill:', 'mov %r3, %r2', 'mul %r3, %r3', 'mov %r4, %r2',
       'lsh %r4, 3', 'mov %r5, %r6', 'add %r5, %r4', 'stxdw [%r5+0], %r3', 'add %r2, 1', 'jlt %r2, 16, fill',
       'mov %r0, 0', 'mov %r2, 0', 'sum:', 'mov %r4, %r2', 'lsh %r4, 3', 'mov %r5, %r6', 'add %r5, %r4',
       'ldxdw %r3, [%r5+0]', 'add %r0, %r3', 'add %r2, 1', 'jlt %r2, 16, sum', 'exit'], expect=sum(i * i for i in range(16)))
    T('stack-ldxsh', 'ldxsh of a negative half word stored on the stack',
      ['sth [%r10-2], -300', 'ldxsh %r0, [%r10-2]', 'exit'], expect=(-300) & M64)
    T('stack-ldxsw', 'ldxsw of a negative word stored on the stack',
      ['stw [%r10-4], -70000', 'ldxsw %r0, [%r10-4]', 'exit'], expect=(-70000) & M64)
    T('stack-to-mem-copy', 'copy 8 bytes from memory to the stack and back at another place',
      ['ldxdw %r3, [%r1+0]', 'stxdw [%r10-8], %r3', 'ldxdw %r4, [%r10-8]', 'stxdw [%r1+8], %r4',
       'ldxdw %r0, [%r1+8]', 'exit'], mem='01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00', expect=0x0807060504030201)
    T('mem-store-through-offset-pointer', 'store through a pointer into the middle of memory with a negative offset',
      ['mov %r4, %r1', 'add %r4, 8', 'stw [%r4-4], 0x11223344', 'ldxdw %r0, [%r1+0]', 'exit'], mem=z16,
      expect=0x1122334400000000)


# ---------------------------------------------------------------------------
# Atomics
# ---------------------------------------------------------------------------

def gen_atomics():
    for width in (64, 32):
        sfx = '32' if width == 32 else ''
        ld = 'ldxdw' if width == 64 else 'ldxw'
        mem = '10 32 54 76 98 ba dc fe 01 01 01 01 01 01 01 01'
        # memory word: 0xfedcba9876543210 (64) / 0x76543210 (32)
        for op, sv in (('add', 0x0101010101010101), ('or', 0x0f0f0f0f0f0f0f0f), ('and', 0x0ff00ff00ff00ff0),
                       ('xor', 0xffffffff00000000 | 0xffff)):
            T('atomic%d-%s' % (width, op), 'lock %s%s updates memory in place; src is unchanged' % (op, sfx),
              [li(2, sv), 'lock %s%s [%%r1+0], %%r2' % (op, sfx), '%s %%r0, [%%r1+0]' % ld, 'exit'], mem=mem)
            T('atomic%d-%s-src-unchanged' % (width, op),
              'lock %s%s without fetch leaves the src register unchanged' % (op, sfx),
              [li(2, sv), 'lock %s%s [%%r1+0], %%r2' % (op, sfx), 'mov %r0, %r2', 'exit'], mem=mem, expect=sv)
            T('atomic%d-fetch-%s' % (width, op),
              'lock fetch %s%s returns the old value in src%s' % (
                  op, sfx, ' (zero-extended)' if width == 32 else ''),
              [li(2, sv), 'lock fetch %s%s [%%r1+0], %%r2' % (op, sfx), 'mov %r0, %r2', 'exit'], mem=mem)
            T('atomic%d-fetch-%s-mem' % (width, op), 'lock fetch %s%s also updates memory' % (op, sfx),
              [li(2, sv), 'lock fetch %s%s [%%r1+0], %%r2' % (op, sfx), '%s %%r0, [%%r1+0]' % ld, 'exit'], mem=mem)
        T('atomic%d-xchg' % width, 'lock xchg%s returns the old value in src' % sfx,
          [li(2, 0x1111111122222222), 'lock xchg%s [%%r1+0], %%r2' % sfx, 'mov %r0, %r2', 'exit'], mem=mem)
        T('atomic%d-xchg-mem' % width, 'lock xchg%s stores src into memory' % sfx,
          [li(2, 0x1111111122222222), 'lock xchg%s [%%r1+0], %%r2' % sfx, '%s %%r0, [%%r1+0]' % ld, 'exit'], mem=mem)
        T('atomic%d-cmpxchg-success' % width,
          'lock cmpxchg%s: memory equals r0, so src is stored; r0 gets the old value' % sfx,
          [li(0, 0xfedcba9876543210 if width == 64 else 0x76543210), li(2, 0x5555), 'lock cmpxchg%s [%%r1+0], %%r2' % sfx,
           'exit'], mem=mem, expect=0xfedcba9876543210 if width == 64 else 0x76543210)
        T('atomic%d-cmpxchg-success-mem' % width, 'lock cmpxchg%s success: memory now holds src' % sfx,
          [li(0, 0xfedcba9876543210 if width == 64 else 0x76543210), li(2, 0x5555), 'lock cmpxchg%s [%%r1+0], %%r2' % sfx,
           '%s %%r0, [%%r1+0]' % ld, 'exit'], mem=mem, expect=0x5555)
        T('atomic%d-cmpxchg-fail' % width,
          'lock cmpxchg%s: memory differs from r0, nothing is stored; r0 gets the old value' % sfx,
          [li(0, 0x1234), li(2, 0x5555), 'lock cmpxchg%s [%%r1+0], %%r2' % sfx, 'exit'], mem=mem,
          expect=0xfedcba9876543210 if width == 64 else 0x76543210)
        T('atomic%d-cmpxchg-fail-mem' % width, 'lock cmpxchg%s failure leaves memory unchanged' % sfx,
          [li(0, 0x1234), li(2, 0x5555), 'lock cmpxchg%s [%%r1+0], %%r2' % sfx, '%s %%r0, [%%r1+0]' % ld, 'exit'],
          mem=mem, expect=0xfedcba9876543210 if width == 64 else 0x76543210)
    # 32-bit specifics
    mneg = '00 00 00 80 aa aa aa aa'
    T('atomic32-fetch-add-zero-extends', 'lock fetch add32 puts the old word 0x80000000 zero-extended into src',
      [li(2, 0xffffffff00000001), 'lock fetch add32 [%r1+0], %r2', 'mov %r0, %r2', 'exit'], mem=mneg,
      expect=0x80000000)
    T('atomic32-add-no-carry', 'lock add32 wraps in 32 bits and does not carry into the next word',
      ['mov %r2, 1', 'lock add32 [%r1+0], %r2', 'ldxdw %r0, [%r1+0]', 'exit'], mem='ff ff ff ff 00 00 00 00',
      expect=0)
    T('atomic32-add-ignores-src-upper', 'lock add32 adds only the low half of src',
      [li(2, 0x1234567800000005), 'lock add32 [%r1+0], %r2', 'ldxdw %r0, [%r1+0]', 'exit'],
      mem='01 00 00 00 00 00 00 00', expect=6)
    T('atomic32-xchg-zero-extends', 'lock xchg32 puts the old word zero-extended into src',
      [li(2, -1), 'lock xchg32 [%r1+0], %r2', 'mov %r0, %r2', 'exit'], mem=mneg, expect=0x80000000)
    T('atomic32-xchg-neighbour', 'lock xchg32 writes only 4 bytes',
      [li(2, -1), 'lock xchg32 [%r1+0], %r2', 'ldxdw %r0, [%r1+0]', 'exit'], mem=mneg, expect=0xaaaaaaaaffffffff)
    T('atomic32-cmpxchg-low-half', 'lock cmpxchg32 compares only the low 32 bits of r0',
      [li(0, 0xdead000080000000), 'mov %r2, 7', 'lock cmpxchg32 [%r1+0], %r2', 'ldxdw %r0, [%r1+0]', 'exit'],
      mem=mneg, expect=0xaaaaaaaa00000007)
    T('atomic32-cmpxchg-r0-zero-extended', 'lock cmpxchg32 loads the old word zero-extended into r0',
      [li(0, 0xdead000080000000), 'mov %r2, 7', 'lock cmpxchg32 [%r1+0], %r2', 'exit'], mem=mneg, expect=0x80000000)
    T('atomic64-cmpxchg-all-bits', 'lock cmpxchg compares all 64 bits of r0 (low halves equal: fails)',
      [li(0, 0x0000000080000000), 'mov %r2, 7', 'lock cmpxchg [%r1+0], %r2', 'ldxdw %r0, [%r1+0]', 'exit'],
      mem=mneg, expect=0xaaaaaaaa80000000)
    T('atomic64-add-offset', 'lock add on the second double word, addressed by offset',
      ['mov %r2, 10', 'lock add [%r1+8], %r2', 'ldxdw %r0, [%r1+8]', 'exit'],
      mem='00 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00', expect=15)
    T('atomic64-add-stack', 'lock add on a stack slot',
      ['stdw [%r10-8], 40', 'mov %r2, 2', 'lock add [%r10-8], %r2', 'ldxdw %r0, [%r10-8]', 'exit'], expect=42)
    T('atomic32-fetch-or-stack', 'lock fetch or32 on a stack slot returns the old value',
      ['stw [%r10-4], 0x10', 'mov %r3, 0x01', 'lock fetch or32 [%r10-4], %r3', 'ldxw %r0, [%r10-4]', 'lsh %r0, 8',
       'or %r0, %r3', 'exit'], expect=0x1110)
    T('atomic64-fetch-add-counter', 'a loop of lock fetch add returns each previous count',
      ['stdw [%r10-8], 0', 'mov %r0, 0', 'mov %r6, 0', 'loop:', 'mov %r2, 1', 'lock fetch add [%r10-8], %r2',
       'add %r0, %r2', 'add %r6, 1', 'jlt %r6, 5, loop', 'ldxdw %r3, [%r10-8]', 'lsh %r3, 8', 'or %r0, %r3', 'exit'],
      expect=(5 << 8) | 10)
    T('atomic64-cmpxchg-loop', 'a compare-and-swap retry loop doubling a value',
      ['stdw [%r1+0], 21', 'ldxdw %r0, [%r1+0]', 'retry:', 'mov %r2, %r0', 'add %r2, %r2',
       'lock cmpxchg [%r1+0], %r2', 'mov %r3, %r2', 'rsh %r3, 1', 'jne %r0, %r3, retry', 'ldxdw %r0, [%r1+0]', 'exit'],
      mem='00 00 00 00 00 00 00 00', expect=42)
    T('atomic64-xchg-same-reg-as-r0', 'lock xchg with r0 as src returns the old value in r0',
      [li(0, 99), 'lock xchg [%r1+0], %r0', 'exit'], mem='0d 00 00 00 00 00 00 00', expect=13)
    T('atomic64-fetch-xor-toggle', 'lock fetch xor twice restores memory; both old values are returned',
      [li(2, 0xff), 'lock fetch xor [%r1+0], %r2', 'mov %r4, %r2', 'mov %r2, 0xff', 'lock fetch xor [%r1+0], %r2',
       'ldxdw %r0, [%r1+0]', 'lsh %r0, 16', 'or %r0, %r4', 'lsh %r0, 16', 'or %r0, %r2', 'exit'],
      mem='0f 00 00 00 00 00 00 00', expect=(0x0f << 32) | (0x0f << 16) | 0xf0)


# ---------------------------------------------------------------------------
# lddw
# ---------------------------------------------------------------------------

def gen_lddw():
    for name, v, c in (
            ('lddw', 0x123456789abcdef0, 'lddw loads a 64-bit constant from two slots'),
            ('lddw-zero', 0, 'lddw of 0'),
            ('lddw-all-ones', M64, 'lddw of 0xffffffffffffffff'),
            ('lddw-high-bit', 0x8000000000000000, 'lddw of 0x8000000000000000 (only the top bit)'),
            ('lddw-low-high-bit', 0x0000000080000000, 'lddw with bit 31 set: the low half is not sign-extended'),
            ('lddw-upper-only', 0xffffffff00000000, 'lddw with only the upper half set'),
            ('lddw-lower-all-ones', 0x00000000ffffffff, 'lddw of 0x00000000ffffffff')):
        T(name, c, ['lddw %%r0, 0x%x' % v, 'exit'], expect=v)
    T('lddw-overwrites', 'lddw replaces every bit of the destination',
      ['mov %r0, -1', 'lddw %r0, 0x100000001', 'exit'], expect=0x100000001)
    T('lddw-jump-over', 'a jump over an lddw counts it as two slots',
      ['mov %r0, 1', 'ja skip', 'lddw %r0, 0x1122334455667788', 'skip:', 'exit'], expect=1)
    T('lddw-jump-over-numeric', 'ja +2 skips exactly one lddw (two slots)',
      ['mov %r0, 1', 'ja +2', 'lddw %r0, 0x1122334455667788', 'add %r0, 1', 'exit'], expect=2)
    T('lddw-in-loop', 'lddw executed inside a loop body',
      ['mov %r0, 0', 'mov %r2, 0', 'loop:', 'lddw %r3, 0x100000001', 'add %r0, %r3', 'add %r2, 1', 'jlt %r2, 3, loop',
       'exit'], expect=0x300000003)
    T('lddw-every-register', 'lddw into r9 then combine with r1..r8 loads',
      ['lddw %r1, 1', 'lddw %r2, 0x20', 'lddw %r3, 0x300', 'lddw %r4, 0x4000', 'lddw %r5, 0x50000',
       'lddw %r6, 0x600000', 'lddw %r7, 0x7000000', 'lddw %r8, 0x80000000', 'lddw %r9, 0x900000000',
       'mov %r0, %r1', 'add %r0, %r2', 'add %r0, %r3', 'add %r0, %r4', 'add %r0, %r5', 'add %r0, %r6',
       'add %r0, %r7', 'add %r0, %r8', 'add %r0, %r9', 'exit'], expect=0x987654321)


# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

def nested_calls(frames):
    """Main plus frames-1 nested local calls; each level adds 1 to r0."""
    lines = ['mov %r0, 0', 'call local f1', 'add %r0, 100', 'exit']
    for i in range(1, frames):
        lines.append('f%d:' % i)
        if i < frames - 1:
            lines += ['call local f%d' % (i + 1)]
        else:
            lines += ['mov %r0, 0']
        lines += ['add %r0, 1', 'exit']
    return lines


def gen_calls():
    T('call-local', 'call local runs the function and returns its r0',
      ['call local f', 'add %r0, 1', 'exit', 'f:', 'mov %r0, 41', 'exit'], expect=42)
    T('call-local-args', 'r1-r5 carry arguments into a local function',
      ['mov %r1, 1', 'mov %r2, 2', 'mov %r3, 3', 'mov %r4, 4', 'mov %r5, 5', 'call local f', 'exit',
       'f:', 'mov %r0, %r1', 'mul %r2, 10', 'add %r0, %r2', 'mul %r3, 100', 'add %r0, %r3', 'mul %r4, 1000',
       'add %r0, %r4', 'mul %r5, 10000', 'add %r0, %r5', 'exit'], expect=54321)
    T('call-local-preserves-r6-r9', 'r6-r9 are callee-saved: a callee that writes them does not change the caller\'s',
      ['mov %r6, 6', 'mov %r7, 7', 'mov %r8, 8', 'mov %r9, 9', 'call local f', 'mov %r0, %r6', 'lsh %r0, 8',
       'or %r0, %r7', 'lsh %r0, 8', 'or %r0, %r8', 'lsh %r0, 8', 'or %r0, %r9', 'exit',
       'f:', 'mov %r6, 0x66', 'mov %r7, 0x77', 'mov %r8, 0x88', 'mov %r9, 0x99', 'mov %r0, 0', 'exit'],
      expect=0x06070809)
    T('call-local-separate-stack', 'each frame has its own stack: the callee\'s [%r10-8] is not the caller\'s',
      ['stdw [%r10-8], 111', 'call local f', 'ldxdw %r1, [%r10-8]', 'lsh %r0, 16', 'or %r0, %r1', 'exit',
       'f:', 'stdw [%r10-8], 222', 'ldxdw %r0, [%r10-8]', 'exit'], expect=(222 << 16) | 111)
    T('call-local-stack-pointer-arg', 'a callee may write the caller\'s stack through a pointer argument',
      ['stdw [%r10-8], 1', 'mov %r1, %r10', 'add %r1, -8', 'call local f', 'ldxdw %r0, [%r10-8]', 'exit',
       'f:', 'stdw [%r1+0], 99', 'mov %r0, 0', 'exit'], expect=99)
    T('call-local-return-64bit', 'a local function returns a full 64-bit r0',
      ['call local f', 'exit', 'f:', 'lddw %r0, 0xfedcba9876543210', 'exit'], expect=0xfedcba9876543210)
    T('call-local-two-functions', 'two different local functions called in turn',
      ['mov %r1, 5', 'call local dbl', 'mov %r6, %r0', 'mov %r1, 5', 'call local sq', 'add %r0, %r6', 'exit',
       'dbl:', 'mov %r0, %r1', 'add %r0, %r1', 'exit', 'sq:', 'mov %r0, %r1', 'mul %r0, %r1', 'exit'], expect=35)
    T('call-local-backward', 'call local to a function placed before the caller (negative offset)',
      ['ja main', 'f:', 'mov %r0, %r1', 'add %r0, 7', 'exit', 'main:', 'mov %r1, 3', 'call local f', 'mul %r0, 2',
       'exit'], expect=20)
    T('call-local-in-loop', 'a local function called ten times from a loop',
      ['mov %r6, 0', 'mov %r7, 0', 'loop:', 'mov %r1, %r7', 'call local sq', 'add %r6, %r0', 'add %r7, 1',
       'jlt %r7, 10, loop', 'mov %r0, %r6', 'exit', 'sq:', 'mov %r0, %r1', 'mul %r0, %r1', 'exit'],
      expect=sum(i * i for i in range(10)))
    T('call-local-nested-2', 'a local function that calls another one (3 frames)',
      ['mov %r1, 2', 'call local a', 'exit', 'a:', 'mov %r6, %r1', 'add %r1, 1', 'call local b', 'mul %r0, %r6',
       'exit', 'b:', 'mov %r0, %r1', 'add %r0, 10', 'exit'], expect=26)
    T('call-local-depth-8', 'eight frames (main and seven nested local calls) are allowed', nested_calls(8),
      expect=107)
    T('call-local-depth-9', 'nine frames (main and eight nested local calls) exceed the limit of 8', nested_calls(9),
      error='call depth')
    T('call-local-recursion-factorial', 'recursive factorial(6) = 720 (7 frames deep)',
      ['mov %r1, 6', 'call local fact', 'exit', 'fact:', 'mov %r0, 1', 'jle %r1, 1, done', 'mov %r6, %r1',
       'sub %r1, 1', 'call local fact', 'mul %r0, %r6', 'done:', 'exit'], expect=720)
    T('call-local-recursion-fib', 'recursive fibonacci(7) = 13; the deepest path uses 8 frames',
      ['mov %r1, 7', 'call local fib', 'exit', 'fib:', 'mov %r0, %r1', 'jlt %r1, 2, done', 'mov %r6, %r1',
       'sub %r1, 1', 'call local fib', 'mov %r7, %r0', 'mov %r1, %r6', 'sub %r1, 2', 'call local fib',
       'add %r0, %r7', 'done:', 'exit'], expect=13)
    T('call-local-recursion-counter', 'recursion stops when a counter passed in r1 reaches 0 (8 frames)',
      ['mov %r1, 6', 'call local r', 'exit', 'r:', 'mov %r0, 0', 'jeq %r1, 0, out', 'sub %r1, 1', 'call local r',
       'add %r0, 1', 'out:', 'exit'], expect=6)
    T('call-local-recursion-too-deep', 'recursion that would need 9 frames fails at run time',
      ['mov %r1, 7', 'call local r', 'exit', 'r:', 'mov %r0, 0', 'jeq %r1, 0, out', 'sub %r1, 1', 'call local r',
       'add %r0, 1', 'out:', 'exit'], error='call depth')
    T('call-local-stack-each-level', 'every frame keeps its own stack slot through nested calls',
      ['mov %r1, 3', 'call local f', 'exit',
       'f:', 'stxdw [%r10-8], %r1', 'mov %r0, 0', 'jeq %r1, 0, out', 'sub %r1, 1', 'call local f', 'out:',
       'ldxdw %r2, [%r10-8]', 'lsh %r0, 4', 'or %r0, %r2', 'exit'], expect=0x0123)
    T('call-local-callee-saved-across-nested', 'r6 of each frame survives a deeper call that overwrites r6',
      ['mov %r6, 1', 'call local a', 'add %r0, %r6', 'exit', 'a:', 'mov %r6, 10', 'call local b', 'add %r0, %r6',
       'exit', 'b:', 'mov %r6, 100', 'mov %r0, %r6', 'exit'], expect=111)
    # helpers
    T('call-helper', 'call 5 (a helper every runner provides) returns; the program continues after it',
      ['call 5', 'mov %r0, 42', 'exit'], expect=42)
    T('call-helper-keyword', 'call helper 5 is the same as call 5', ['call helper 5', 'mov %r0, 43', 'exit'],
      expect=43)
    T('call-helper-preserves-r6-r9', 'a helper call keeps r6-r9',
      ['mov %r6, 1', 'mov %r7, 2', 'mov %r8, 3', 'mov %r9, 4', 'call 5', 'mov %r0, %r6', 'add %r0, %r7',
       'mul %r0, %r8', 'add %r0, %r9', 'exit'], expect=13)
    T('call-helper-stack-kept', 'a helper call leaves the program\'s stack alone',
      ['stdw [%r10-8], 1234', 'call 5', 'ldxdw %r0, [%r10-8]', 'exit'], expect=1234)
    T('call-helper-in-local', 'a local function calls helper 5 and returns its own value',
      ['mov %r6, 9', 'call local f', 'add %r0, %r6', 'exit', 'f:', 'mov %r6, 1', 'call 5', 'mov %r0, %r6', 'exit'],
      expect=10)
    T('callx-helper', 'callx calls the helper whose id is in a register',
      ['mov %r2, 5', 'callx %r2', 'mov %r0, 44', 'exit'], expect=44)
    T('callx-helper-r6', 'callx with the helper id in r6, which survives the call',
      ['mov %r6, 5', 'callx %r6', 'mov %r0, %r6', 'exit'], expect=5)
    T('callx-helper-alias', 'call %rN is the same as callx %rN',
      ['mov %r3, 5', 'call %r3', 'mov %r0, 45', 'exit'], expect=45)


# ---------------------------------------------------------------------------
# Legacy packet access (group "packet")
# ---------------------------------------------------------------------------

def gen_packet():
    pkt = '01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18'
    T('packet-ldabsb', 'ldabsb loads the packet byte at an absolute offset', ['ldabsb 3', 'exit'], mem=pkt,
      expect=0x04)
    T('packet-ldabsh', 'ldabsh loads a half word in network (big-endian) order', ['ldabsh 4', 'exit'], mem=pkt,
      expect=0x0506)
    T('packet-ldabsw', 'ldabsw loads a word in network (big-endian) order', ['ldabsw 8', 'exit'], mem=pkt,
      expect=0x090a0b0c)
    T('packet-ldabsw-zero-extends', 'ldabsw of 0xfffefdfc is zero-extended into r0',
      ['mov %r0, -1', 'ldabsw 0', 'exit'], mem='ff fe fd fc 00 00 00 00 00 00 00 00 00 00 00 00', expect=0xfffefdfc)
    T('packet-ldindb', 'ldindb loads the byte at src + imm', ['mov %r7, 5', 'ldindb %r7, 2', 'exit'], mem=pkt,
      expect=0x08)
    T('packet-ldindh', 'ldindh loads a big-endian half word at src + imm', ['mov %r7, 10', 'ldindh %r7, 2', 'exit'],
      mem=pkt, expect=0x0d0e)
    T('packet-ldindw', 'ldindw loads a big-endian word at src + imm', ['mov %r8, 4', 'ldindw %r8, 16', 'exit'],
      mem=pkt, expect=0x15161718)
    T('packet-ldind-loop', 'ldindb in a loop sums the first 16 packet bytes',
      ['mov %r8, 0', 'mov %r7, 0', 'loop:', 'ldindb %r7, 0', 'add %r8, %r0', 'add %r7, 1', 'jlt %r7, 16, loop',
       'mov %r0, %r8', 'exit'], mem=pkt, expect=sum(range(1, 17)))
    T('packet-ldabs-keeps-r6-r9', 'legacy packet loads keep r6-r9',
      ['mov %r8, 0x100', 'ldabsb 0', 'add %r0, %r8', 'exit'], mem=pkt, expect=0x101)


# ---------------------------------------------------------------------------
# Whole programs: loops that exercise an interpreter
# ---------------------------------------------------------------------------

def b(*xs):
    return ' '.join('%02x' % x for x in xs)


def gen_programs():
    T('prog-sum-1-to-100', 'sum 1..100 in a counted loop',
      ['mov %r0, 0', 'mov %r1, 1', 'loop:', 'add %r0, %r1', 'add %r1, 1', 'jle %r1, 100, loop', 'exit'], expect=5050)
    T('prog-factorial-20', 'iterative 20! fits in 64 bits',
      ['mov %r0, 1', 'mov %r1, 2', 'loop:', 'mul %r0, %r1', 'add %r1, 1', 'jle %r1, 20, loop', 'exit'],
      expect=2432902008176640000)
    T('prog-factorial-25-wraps', 'iterative 25! wraps modulo 2^64',
      ['mov %r0, 1', 'mov %r1, 2', 'loop:', 'mul %r0, %r1', 'add %r1, 1', 'jle %r1, 25, loop', 'exit'],
      expect=_fact(25) & M64)
    T('prog-fibonacci-90', 'iterative fibonacci(90) = 2880067194370816120',
      ['mov %r1, 0', 'mov %r2, 1', 'mov %r3, 0', 'loop:', 'mov %r4, %r1', 'add %r4, %r2', 'mov %r1, %r2',
       'mov %r2, %r4', 'add %r3, 1', 'jlt %r3, 90, loop', 'mov %r0, %r1', 'exit'], expect=2880067194370816120)
    T('prog-primes-below-100', 'count primes below 100 by trial division (uses mod)',
      ['mov %r0, 0', 'mov %r1, 2', 'outer:', 'mov %r2, 2', 'inner:', 'mov %r3, %r2', 'mul %r3, %r2',
       'jgt %r3, %r1, prime', 'mov %r4, %r1', 'mod %r4, %r2', 'jeq %r4, 0, next', 'add %r2, 1', 'ja inner',
       'prime:', 'add %r0, 1', 'next:', 'add %r1, 1', 'jlt %r1, 100, outer', 'exit'], expect=25)
    T('prog-primes-below-1000-div32', 'count primes below 1000 with 32-bit division and remainder',
      ['mov32 %r0, 0', 'mov32 %r1, 2', 'outer:', 'mov32 %r2, 2', 'inner:', 'mov32 %r3, %r2', 'mul32 %r3, %r2',
       'jgt32 %r3, %r1, prime', 'mov32 %r4, %r1', 'mov32 %r5, %r1', 'div32 %r5, %r2', 'mul32 %r5, %r2',
       'sub32 %r4, %r5', 'jeq32 %r4, 0, next', 'add32 %r2, 1', 'ja inner', 'prime:', 'add32 %r0, 1', 'next:',
       'add32 %r1, 1', 'jlt32 %r1, 1000, outer', 'exit'], expect=168)
    T('prog-gcd', 'Euclid\'s algorithm: gcd(1071, 462) = 21',
      ['mov %r1, 1071', 'mov %r2, 462', 'loop:', 'jeq %r2, 0, done', 'mov %r3, %r1', 'mod %r3, %r2', 'mov %r1, %r2',
       'mov %r2, %r3', 'ja loop', 'done:', 'mov %r0, %r1', 'exit'], expect=21)
    T('prog-gcd-64', 'gcd of two 64-bit values',
      ['lddw %r1, 0x7fffffffffffffe7', 'lddw %r2, 0x1fffffffffffffc0', 'loop:', 'jeq %r2, 0, done', 'mov %r3, %r1',
       'mod %r3, %r2', 'mov %r1, %r2', 'mov %r2, %r3', 'ja loop', 'done:', 'mov %r0, %r1', 'exit'],
      expect=_gcd(0x7fffffffffffffe7, 0x1fffffffffffffc0))
    T('prog-collatz-27', 'Collatz: 27 takes 111 steps to reach 1',
      ['mov %r1, 27', 'mov %r0, 0', 'loop:', 'jeq %r1, 1, done', 'add %r0, 1', 'jset %r1, 1, odd', 'rsh %r1, 1',
       'ja loop', 'odd:', 'mul %r1, 3', 'add %r1, 1', 'ja loop', 'done:', 'exit'], expect=111)
    T('prog-popcount', 'population count of 0xf0f0f0f0f0f0f0f1 by shifting',
      ['lddw %r1, 0xf0f0f0f0f0f0f0f1', 'mov %r0, 0', 'loop:', 'jeq %r1, 0, done', 'mov %r2, %r1', 'and %r2, 1',
       'add %r0, %r2', 'rsh %r1, 1', 'ja loop', 'done:', 'exit'], expect=33)
    T('prog-popcount-kernighan', 'population count by clearing the lowest set bit (x &= x - 1)',
      ['lddw %r1, 0x8000000100010081', 'mov %r0, 0', 'loop:', 'jeq %r1, 0, done', 'mov %r2, %r1', 'sub %r2, 1',
       'and %r1, %r2', 'add %r0, 1', 'ja loop', 'done:', 'exit'], expect=5)
    T('prog-bit-reverse-32', 'reverse the 32 bits of 0x12345678 in a 32-bit loop',
      ['mov32 %r1, 0x12345678', 'mov %r0, 0', 'mov %r3, 0', 'loop:', 'lsh32 %r0, 1', 'mov32 %r2, %r1', 'and32 %r2, 1',
       'or32 %r0, %r2', 'rsh32 %r1, 1', 'add %r3, 1', 'jlt %r3, 32, loop', 'exit'], expect=0x1e6a2c48)
    T('prog-isqrt', 'integer square root of 1000000007 by binary search',
      ['mov %r1, 1000000007', 'mov %r2, 0', 'mov %r3, 65536', 'loop:', 'jge %r2, %r3, done', 'mov %r4, %r2',
       'add %r4, %r3', 'add %r4, 1', 'rsh %r4, 1', 'mov %r5, %r4', 'mul %r5, %r4', 'jgt %r5, %r1, lower',
       'mov %r2, %r4', 'ja loop', 'lower:', 'mov %r3, %r4', 'sub %r3, 1', 'ja loop', 'done:', 'mov %r0, %r2', 'exit'],
      expect=31622)
    T('prog-modpow', 'modular exponentiation 3^200 mod 1000000007 by squaring',
      ['mov %r1, 3', 'mov %r2, 200', 'mov %r3, 1000000007', 'mov %r0, 1', 'loop:', 'jeq %r2, 0, done',
       'jset %r2, 1, odd', 'ja sq', 'odd:', 'mul %r0, %r1', 'mod %r0, %r3', 'sq:', 'mul %r1, %r1', 'mod %r1, %r3',
       'rsh %r2, 1', 'ja loop', 'done:', 'exit'], expect=pow(3, 200, 1000000007))
    T('prog-xorshift64', 'ten rounds of the xorshift64 generator',
      ['lddw %r1, 0x2545f4914f6cdd1d', 'mov %r2, 0', 'loop:', 'mov %r3, %r1', 'lsh %r3, 13', 'xor %r1, %r3',
       'mov %r3, %r1', 'rsh %r3, 7', 'xor %r1, %r3', 'mov %r3, %r1', 'lsh %r3, 17', 'xor %r1, %r3', 'add %r2, 1',
       'jlt %r2, 10, loop', 'mov %r0, %r1', 'exit'], expect=_xorshift(0x2545f4914f6cdd1d, 10))
    T('prog-mulhi-64', 'high 64 bits of a 64x64 product from 32-bit halves',
      ['lddw %r1, 0xfedcba9876543210', 'lddw %r2, 0x0123456789abcdef',
       'mov %r3, %r1', 'rsh %r3, 32', 'mov32 %r4, %r1', 'mov %r5, %r2', 'rsh %r5, 32', 'mov32 %r6, %r2',
       'mov %r7, %r4', 'mul %r7, %r6', 'rsh %r7, 32',
       'mov %r8, %r3', 'mul %r8, %r6', 'add %r8, %r7',
       'mov %r9, %r8', 'rsh %r9, 32', 'mov32 %r8, %r8',
       'mov %r7, %r4', 'mul %r7, %r5', 'add %r8, %r7',
       'rsh %r8, 32', 'mov %r0, %r3', 'mul %r0, %r5', 'add %r0, %r9', 'add %r0, %r8', 'exit'],
      expect=(0xfedcba9876543210 * 0x0123456789abcdef) >> 64)
    # programs over memory
    data = bytes(range(1, 33))
    T('prog-sum-bytes', 'sum the bytes of the memory, using r2 as its length',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3', 'ldxb %r5, [%r4+0]',
       'add %r0, %r5', 'add %r3, 1', 'ja loop', 'done:', 'exit'], mem=b(*data), expect=sum(data))
    ipmem = bytes.fromhex('4500003c1c4640004006b1e6ac100a63ac100a0c')
    T('prog-ip-checksum', 'RFC 1071 checksum of an IPv4 header (checksum field included gives 0)',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'mov %r4, %r1', 'add %r4, %r3', 'ldxh %r5, [%r4+0]', 'be16 %r5',
       'add %r0, %r5', 'add %r3, 2', 'jlt %r3, %r2, loop', 'fold:', 'mov %r4, %r0', 'rsh %r4, 16',
       'jeq %r4, 0, done', 'and %r0, 0xffff', 'add %r0, %r4', 'ja fold', 'done:', 'xor %r0, 0xffff', 'exit'],
      mem=b(*ipmem), expect=_ipsum(ipmem))
    ipmem0 = ipmem[:10] + b'\0\0' + ipmem[12:]
    T('prog-ip-checksum-compute', 'RFC 1071 checksum of an IPv4 header with a zero checksum field',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'mov %r4, %r1', 'add %r4, %r3', 'ldxh %r5, [%r4+0]', 'be16 %r5',
       'add %r0, %r5', 'add %r3, 2', 'jlt %r3, %r2, loop', 'fold:', 'mov %r4, %r0', 'rsh %r4, 16',
       'jeq %r4, 0, done', 'and %r0, 0xffff', 'add %r0, %r4', 'ja fold', 'done:', 'xor %r0, 0xffff', 'exit'],
      mem=b(*ipmem0), expect=0xb1e6)
    text = b'hello, conformance'
    T('prog-fnv1a-32', 'FNV-1a 32-bit hash of the memory (32-bit multiply)',
      ['mov32 %r0, -2128831035', 'mov %r3, 0', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3',
       'ldxb %r5, [%r4+0]', 'xor32 %r0, %r5', 'mul32 %r0, 0x01000193', 'add %r3, 1', 'ja loop', 'done:', 'exit'],
      mem=b(*text), expect=_fnv32(text))
    T('prog-fnv1a-64', 'FNV-1a 64-bit hash of the memory',
      ['lddw %r0, 0xcbf29ce484222325', 'lddw %r6, 0x100000001b3', 'mov %r3, 0', 'loop:', 'jge %r3, %r2, done',
       'mov %r4, %r1', 'add %r4, %r3', 'ldxb %r5, [%r4+0]', 'xor %r0, %r5', 'mul %r0, %r6', 'add %r3, 1', 'ja loop',
       'done:', 'exit'], mem=b(*text), expect=_fnv64(text))
    crcdata = b'123456789'
    T('prog-crc32', 'bitwise CRC-32 (IEEE, reflected) of "123456789" = 0xcbf43926',
      ['mov32 %r0, -1', 'mov %r3, 0', 'byte:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3',
       'ldxb %r5, [%r4+0]', 'xor32 %r0, %r5', 'mov %r6, 0', 'bit:', 'mov32 %r7, %r0', 'and32 %r7, 1',
       'rsh32 %r0, 1', 'jeq %r7, 0, nox', 'xor32 %r0, -306674912', 'nox:', 'add %r6, 1', 'jlt %r6, 8, bit',
       'add %r3, 1', 'ja byte', 'done:', 'xor32 %r0, -1', 'exit'], mem=b(*crcdata), expect=0xcbf43926)
    T('prog-strlen', 'length of a NUL-terminated string in memory',
      ['mov %r0, 0', 'loop:', 'mov %r3, %r1', 'add %r3, %r0', 'ldxb %r4, [%r3+0]', 'jeq %r4, 0, done', 'add %r0, 1',
       'ja loop', 'done:', 'exit'], mem=b(*(b'eBPF conformance\0xyz')), expect=16)
    T('prog-atoi', 'parse a decimal number from text in memory',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3', 'ldxb %r5, [%r4+0]',
       'jlt %r5, 0x30, done', 'jgt %r5, 0x39, done', 'mul %r0, 10', 'sub %r5, 0x30', 'add %r0, %r5', 'add %r3, 1',
       'ja loop', 'done:', 'exit'], mem=b(*b'18446744073709551615'), expect=M64)
    arr = [9, 3, 250, 0, 77, 3, 128, 14]
    T('prog-bubble-sort', 'bubble-sort 8 bytes in memory, then read them back as one double word',
      ['mov %r6, 0', 'outer:', 'mov %r7, 0', 'inner:', 'mov %r3, %r1', 'add %r3, %r7', 'ldxb %r4, [%r3+0]',
       'ldxb %r5, [%r3+1]', 'jle %r4, %r5, noswap', 'stxb [%r3+0], %r5', 'stxb [%r3+1], %r4', 'noswap:',
       'add %r7, 1', 'jlt %r7, 7, inner', 'add %r6, 1', 'jlt %r6, 8, outer', 'ldxdw %r0, [%r1+0]', 'exit'],
      mem=b(*arr), expect=int.from_bytes(bytes(sorted(arr)), 'little'))
    T('prog-reverse-in-place', 'reverse 8 bytes of memory in place',
      ['mov %r3, %r1', 'mov %r4, %r1', 'add %r4, 7', 'loop:', 'jge %r3, %r4, done', 'ldxb %r5, [%r3+0]',
       'ldxb %r6, [%r4+0]', 'stxb [%r3+0], %r6', 'stxb [%r4+0], %r5', 'add %r3, 1', 'sub %r4, 1', 'ja loop', 'done:',
       'ldxdw %r0, [%r1+0]', 'exit'], mem='01 02 03 04 05 06 07 08', expect=0x0102030405060708)
    words = [5, 0x7fffffff, 3, 0x80000000, 17, 0xffffffff, 1, 2]
    T('prog-max-signed-words', 'largest signed 32-bit word in memory (ldxsw + jsgt)',
      ['ldxsw %r0, [%r1+0]', 'mov %r3, 4', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3',
       'ldxsw %r5, [%r4+0]', 'jsle %r5, %r0, skip', 'mov %r0, %r5', 'skip:', 'add %r3, 4', 'ja loop', 'done:', 'exit'],
      mem=b(*b''.join(w.to_bytes(4, 'little') for w in words)), expect=0x7fffffff)
    T('prog-min-unsigned-words', 'smallest unsigned 32-bit word in memory (ldxw + jlt)',
      ['ldxw %r0, [%r1+0]', 'mov %r3, 4', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3',
       'ldxw %r5, [%r4+0]', 'jge %r5, %r0, skip', 'mov %r0, %r5', 'skip:', 'add %r3, 4', 'ja loop', 'done:', 'exit'],
      mem=b(*b''.join(w.to_bytes(4, 'little') for w in words)), expect=1)
    va, vb = [3, -1, 4, -1, 5, -9, 2, 6], [2, 7, -1, 8, 2, 8, -1, 8]
    T('prog-dot-product', 'dot product of two signed 16-bit vectors (ldxsh, signed arithmetic)',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'mov %r4, %r1', 'add %r4, %r3', 'ldxsh %r5, [%r4+0]',
       'ldxsh %r6, [%r4+16]', 'mul %r5, %r6', 'add %r0, %r5', 'add %r3, 2', 'jlt %r3, 16, loop', 'exit'],
      mem=b(*b''.join((x & 0xffff).to_bytes(2, 'little') for x in va + vb)),
      expect=sum(x * y for x, y in zip(va, vb)) & M64)
    T('prog-sieve-stack', 'sieve of Eratosthenes on a 128-byte stack array: primes below 128',
      ['mov %r6, %r10', 'add %r6, -128', 'mov %r2, 0', 'clr:', 'mov %r3, %r6', 'add %r3, %r2', 'stb [%r3+0], 0',
       'add %r2, 1', 'jlt %r2, 128, clr', 'mov %r0, 0', 'mov %r2, 2', 'outer:', 'mov %r3, %r6', 'add %r3, %r2',
       'ldxb %r4, [%r3+0]', 'jne %r4, 0, next', 'add %r0, 1', 'mov %r5, %r2', 'mul %r5, %r2', 'mark:',
       'jge %r5, 128, next', 'mov %r3, %r6', 'add %r3, %r5', 'stb [%r3+0], 1', 'add %r5, %r2', 'ja mark', 'next:',
       'add %r2, 1', 'jlt %r2, 128, outer', 'exit'], expect=31)
    T('prog-memset-memcmp', 'fill memory with a pattern, then count bytes equal to it',
      ['mov %r3, 0', 'fill:', 'mov %r4, %r1', 'add %r4, %r3', 'stb [%r4+0], 0x5a', 'add %r3, 2', 'jlt %r3, %r2, fill',
       'mov %r0, 0', 'mov %r3, 0', 'cnt:', 'mov %r4, %r1', 'add %r4, %r3', 'ldxb %r5, [%r4+0]', 'jne %r5, 0x5a, no',
       'add %r0, 1', 'no:', 'add %r3, 1', 'jlt %r3, %r2, cnt', 'exit'], mem=b(*([0x5a] + [0] * 15)), expect=8)
    T('prog-binary-search', 'binary search for 0x42 in a sorted 16-byte table; returns its index',
      ['mov %r3, 0', 'mov %r4, 16', 'loop:', 'jge %r3, %r4, notfound', 'mov %r5, %r3', 'add %r5, %r4', 'rsh %r5, 1',
       'mov %r6, %r1', 'add %r6, %r5', 'ldxb %r7, [%r6+0]', 'jeq %r7, 0x42, found', 'jlt %r7, 0x42, right',
       'mov %r4, %r5', 'ja loop', 'right:', 'mov %r3, %r5', 'add %r3, 1', 'ja loop', 'found:', 'mov %r0, %r5', 'exit',
       'notfound:', 'mov %r0, -1', 'exit'],
      mem=b(1, 4, 9, 0x10, 0x19, 0x24, 0x31, 0x40, 0x42, 0x51, 0x64, 0x79, 0x90, 0xa9, 0xc4, 0xe1), expect=8)
    T('prog-hex-parse', 'parse hexadecimal text from memory into a 64-bit value',
      ['mov %r0, 0', 'mov %r3, 0', 'loop:', 'jge %r3, %r2, done', 'mov %r4, %r1', 'add %r4, %r3', 'ldxb %r5, [%r4+0]',
       'jge %r5, 0x61, lower', 'sub %r5, 0x30', 'ja digit', 'lower:', 'sub %r5, 0x57', 'digit:', 'lsh %r0, 4',
       'or %r0, %r5', 'add %r3, 1', 'ja loop', 'done:', 'exit'], mem=b(*b'deadbeef01234567'), expect=0xdeadbeef01234567)
    T('prog-call-local-sum-squares', 'sum of squares 1..20 through a local function and the stack',
      ['stdw [%r10-8], 0', 'mov %r6, 1', 'loop:', 'mov %r1, %r6', 'call local sq', 'ldxdw %r2, [%r10-8]',
       'add %r2, %r0', 'stxdw [%r10-8], %r2', 'add %r6, 1', 'jle %r6, 20, loop', 'ldxdw %r0, [%r10-8]', 'exit',
       'sq:', 'mov %r0, %r1', 'mul %r0, %r0', 'exit'], expect=sum(i * i for i in range(1, 21)))
    T('prog-byteswap-array', 'convert four big-endian words in memory to host order in place, then sum',
      ['mov %r3, 0', 'mov %r0, 0', 'loop:', 'mov %r4, %r1', 'add %r4, %r3', 'ldxw %r5, [%r4+0]', 'be32 %r5',
       'stxw [%r4+0], %r5', 'add %r0, %r5', 'add %r3, 4', 'jlt %r3, 16, loop', 'ldxw %r6, [%r1+12]', 'lsh %r0, 32',
       'or %r0, %r6', 'exit'],
      mem='00 00 00 01 00 00 01 00 00 01 00 00 01 00 00 00', expect=(0x01010101 << 32) | 0x01000000)


def _fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def _gcd(a, b_):
    while b_:
        a, b_ = b_, a % b_
    return a


def _xorshift(x, n):
    for _ in range(n):
        x ^= (x << 13) & M64
        x ^= x >> 7
        x ^= (x << 17) & M64
    return x


def _ipsum(data):
    s = sum(int.from_bytes(data[i:i + 2], 'big') for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s ^ 0xffff


def _fnv32(data):
    h = 0x811c9dc5
    for c in data:
        h = ((h ^ c) * 0x01000193) & M32
    return h


def _fnv64(data):
    h = 0xcbf29ce484222325
    for c in data:
        h = ((h ^ c) * 0x100000001b3) & M64
    return h


# ---------------------------------------------------------------------------
# Programs that must be refused at load or fail at run time
# ---------------------------------------------------------------------------

E = model.encode
EXIT = E(0x95)
MOV0 = E(0xb7, 0, 0, 0, 0)


def raw_err(name, comment, words, error):
    T(name, comment, raw=list(words), error=error)


def gen_errors():
    raw_err('err-unknown-opcode-0x00', 'opcode 0x00 is not an instruction on its own (only the 2nd lddw slot)',
            [E(0x00), MOV0, EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-0xff', 'opcode 0xff is not defined', [MOV0, E(0xff), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-alu64-0xe7', 'ALU64 operation code 0xe is not defined', [MOV0, E(0xe7), EXIT],
            'unknown opcode')
    raw_err('err-unknown-opcode-alu32-0xf4', 'ALU operation code 0xf is not defined', [MOV0, E(0xf4), EXIT],
            'unknown opcode')
    raw_err('err-unknown-opcode-jmp-0xf5', 'JMP operation code 0xf is not defined', [MOV0, E(0xf5), EXIT],
            'unknown opcode')
    raw_err('err-unknown-opcode-jmp32-call', 'call exists only in the JMP class, not JMP32 (0x86)',
            [MOV0, E(0x86, 0, 0, 0, 5), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-jmp32-exit', 'exit exists only in the JMP class, not JMP32 (0x96)', [MOV0, E(0x96)],
            'unknown opcode')
    raw_err('err-unknown-opcode-ldxsdw', 'there is no sign-extending 64-bit load (0x99)',
            [MOV0, E(0x99, 0, 10, -8), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-atomic-byte', 'atomic operations on bytes are not defined (0xd3)',
            [MOV0, E(0xd3, 10, 0, -8, 0), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-atomic-half', 'atomic operations on half words are not defined (0xcb)',
            [MOV0, E(0xcb, 10, 0, -8, 0), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-neg-reg', 'neg with the X source bit (0x8f) is not defined',
            [MOV0, E(0x8f, 0, 1), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-bswap-x', 'ALU64 byte swap with the X source bit (0xdf) is not defined',
            [MOV0, E(0xdf, 0, 0, 0, 16), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-ld-imm-byte', 'LD with mode IMM and size B (0x10) is not defined (only DW is)',
            [MOV0, E(0x10, 0, 0, 0, 1), EXIT], 'unknown opcode')
    raw_err('err-unknown-opcode-st-atomic', 'atomic mode in the ST class (0xda) is not defined',
            [MOV0, E(0xda, 10, 0, -8, 0), EXIT], 'unknown opcode')
    raw_err('err-bad-dst-register', 'dst register 11 does not exist (mov %r11, 1)', [E(0xb7, 11, 0, 0, 1), EXIT],
            'invalid register')
    raw_err('err-bad-src-register', 'src register 12 does not exist (mov %r0, %r12)', [E(0xbf, 0, 12), EXIT],
            'invalid register')
    raw_err('err-bad-src-register-ldx', 'src register 15 does not exist (ldxdw %r0, [%r15+0])',
            [MOV0, E(0x79, 0, 15), EXIT], 'invalid register')
    raw_err('err-bad-dst-register-jmp', 'dst register 11 in a conditional jump (jeq %r11, 0, +0)',
            [MOV0, E(0x15, 11, 0, 0, 0), EXIT], 'invalid register')
    T('err-jump-out-of-range', 'a jump whose target is past the end of the program',
      ['mov %r0, 0', 'ja +5', 'exit'], error='outside the program')
    T('err-jump-out-of-range-backward', 'a conditional jump whose target is before the first instruction',
      ['mov %r0, 0', 'jeq %r0, 0, -3', 'exit'], error='outside the program')
    T('err-jump-to-end', 'a jump to the slot just past the last instruction is out of range',
      ['mov %r0, 0', 'jeq %r0, 1, +1', 'exit'], error='outside the program')
    T('err-ja32-out-of-range', 'ja32 whose 32-bit offset leaves the program',
      ['mov %r0, 0', 'ja32 +100000', 'exit'], error='outside the program')
    raw_err('err-call-local-out-of-range', 'call local whose target is past the end of the program',
            [MOV0, E(0x85, 0, 1, 0, 10), EXIT], 'outside the program')
    T('err-jump-into-lddw', 'a jump into the second slot of an lddw',
      ['mov %r0, 0', 'ja +1', 'lddw %r0, 0x100000002', 'exit'], error='lddw')
    T('err-jump-cond-into-lddw', 'a conditional jump backward into the second slot of an lddw',
      ['lddw %r0, 0x100000002', 'jeq %r0, 0, -2', 'exit'], error='lddw')
    raw_err('err-call-local-into-lddw', 'a local call into the second slot of an lddw',
            [E(0x85, 0, 1, 0, 2), EXIT, E(0x18, 0, 0, 0, 1), E(0), EXIT], 'lddw')
    raw_err('err-lddw-truncated', 'lddw as the last slot: its second half is missing',
            [MOV0, EXIT, E(0x18, 0, 0, 0, 1)], 'lddw')
    raw_err('err-lddw-truncated-only', 'a program that is only the first slot of an lddw',
            [E(0x18, 0, 0, 0, 1)], 'lddw')
    raw_err('err-lddw-second-slot-opcode', 'the second slot of lddw must have opcode 0',
            [E(0x18, 0, 0, 0, 1), E(0xb7, 0, 0, 0, 0), EXIT], 'lddw')
    raw_err('err-lddw-second-slot-regs', 'the second slot of lddw must have dst and src 0',
            [E(0x18, 0, 0, 0, 1), E(0x00, 1, 0, 0, 0), EXIT], 'lddw')
    raw_err('err-lddw-second-slot-offset', 'the second slot of lddw must have offset 0',
            [E(0x18, 0, 0, 0, 1), E(0x00, 0, 0, 1, 0), EXIT], 'lddw')
    raw_err('err-lddw-bad-src', 'lddw with src 7 (no such immediate kind)',
            [E(0x18, 0, 7, 0, 1), E(0), EXIT], 'invalid source')
    T('err-fall-through', 'the last instruction is not exit or ja: execution would fall off the end',
      ['mov %r0, 1'], error='falls through')
    T('err-fall-through-cond-jump', 'a conditional jump as the last instruction can fall off the end',
      ['mov %r0, 1', 'l:', 'jeq %r0, 0, l'], error='falls through')
    T('err-fall-through-call', 'a call as the last instruction would return past the end',
      ['mov %r0, 1', 'exit', 'call 5'], error='falls through')
    T('err-fall-through-after-lddw', 'an lddw as the last instruction falls off the end',
      ['mov %r0, 1', 'exit', 'lddw %r0, 5'], error='falls through')
    T('err-write-r10-mov', 'r10 is read-only: mov %r10, 1', ['mov %r10, 1', 'mov %r0, 0', 'exit'], error='r10')
    T('err-write-r10-add', 'r10 is read-only: add %r10, 8', ['add %r10, 8', 'mov %r0, 0', 'exit'], error='r10')
    T('err-write-r10-alu32', 'r10 is read-only: mov32 %r10, %r1', ['mov32 %r10, %r1', 'mov %r0, 0', 'exit'],
      error='r10')
    T('err-write-r10-ldx', 'r10 is read-only: ldxdw %r10, [%r1+0]', ['ldxdw %r10, [%r1+0]', 'mov %r0, 0', 'exit'],
      mem='00 00 00 00 00 00 00 00', error='r10')
    T('err-write-r10-lddw', 'r10 is read-only: lddw %r10', ['lddw %r10, 0x1000', 'mov %r0, 0', 'exit'], error='r10')
    T('err-write-r10-neg', 'r10 is read-only: neg %r10', ['neg %r10', 'mov %r0, 0', 'exit'], error='r10')
    T('err-write-r10-endian', 'r10 is read-only: be16 %r10', ['be16 %r10', 'mov %r0, 0', 'exit'], error='r10')
    T('err-write-r10-atomic-fetch', 'r10 is read-only: lock fetch add with src r10 would write it',
      ['stdw [%r10-8], 0', 'lock fetch add [%r10-8], %r10', 'mov %r0, 0', 'exit'], error='r10')
    raw_err('err-reserved-off-add', 'add imm with a nonzero offset field (reserved)',
            [E(0x07, 0, 0, 1, 1), MOV0, EXIT], 'must be 0')
    raw_err('err-reserved-imm-add-reg', 'add reg with a nonzero imm field (reserved)',
            [MOV0, E(0x0f, 0, 1, 0, 5), EXIT], 'must be 0')
    raw_err('err-reserved-src-add-imm', 'add imm with a nonzero src field (reserved)',
            [MOV0, E(0x07, 0, 3, 0, 5), EXIT], 'must be 0')
    raw_err('err-reserved-exit-imm', 'exit with a nonzero imm field (reserved)', [MOV0, E(0x95, 0, 0, 0, 1)],
            'must be 0')
    raw_err('err-reserved-exit-dst', 'exit with a nonzero dst field (reserved)', [MOV0, E(0x95, 1)], 'must be 0')
    raw_err('err-reserved-ja-imm', 'ja (JMP class) with a nonzero imm field (reserved)',
            [MOV0, E(0x05, 0, 0, 0, 1), EXIT], 'must be 0')
    raw_err('err-reserved-ja32-off', 'ja32 (JMP32 class) with a nonzero offset field (reserved)',
            [MOV0, E(0x06, 0, 0, 1, 0), EXIT], 'must be 0')
    raw_err('err-reserved-ldx-imm', 'ldxdw with a nonzero imm field (reserved)',
            [MOV0, E(0x79, 0, 10, -8, 1), EXIT], 'must be 0')
    raw_err('err-reserved-st-src', 'stdw imm with a nonzero src field (reserved)',
            [MOV0, E(0x7a, 10, 1, -8, 1), EXIT], 'must be 0')
    raw_err('err-reserved-jmp-imm-reg', 'jeq reg with a nonzero imm field (reserved)',
            [MOV0, E(0x1d, 0, 0, 0, 7), EXIT], 'must be 0')
    raw_err('err-reserved-neg-imm', 'neg with a nonzero imm field (reserved)', [MOV0, E(0x87, 0, 0, 0, 1), EXIT],
            'must be 0')
    raw_err('err-reserved-call-off', 'call with a nonzero offset field (reserved)',
            [MOV0, E(0x85, 0, 0, 1, 5), EXIT], 'must be 0')
    raw_err('err-reserved-ldabs-dst', 'ldabsw with a nonzero dst field (reserved)',
            [MOV0, E(0x20, 1, 0, 0, 0), EXIT], 'must be 0')
    raw_err('err-invalid-div-offset', 'div with offset 2 (only 0 = unsigned and 1 = signed exist)',
            [E(0xb7, 0, 0, 0, 8), E(0x37, 0, 0, 2, 2), EXIT], 'invalid offset')
    raw_err('err-invalid-mod-offset', 'mod32 reg with offset 0xffff (-1) is not defined',
            [E(0xb7, 0, 0, 0, 8), E(0xb7, 1, 0, 0, 3), E(0x9c, 0, 1, -1, 0), EXIT], 'invalid offset')
    raw_err('err-invalid-movsx32-offset', 'movsx with offset 32 exists only in ALU64, not ALU (0xbc off 32)',
            [E(0xb7, 1, 0, 0, 1), E(0xbc, 0, 1, 32, 0), EXIT], 'invalid offset')
    raw_err('err-invalid-movsx-offset', 'mov reg with offset 7 is not defined',
            [E(0xb7, 1, 0, 0, 1), E(0xbf, 0, 1, 7, 0), EXIT], 'invalid offset')
    raw_err('err-invalid-mov-imm-offset', 'mov imm with a nonzero offset (movsx is register-only)',
            [E(0xb7, 0, 0, 8, 1), EXIT], 'must be 0')
    raw_err('err-invalid-endian-width', 'le with width 8 (only 16, 32, 64 exist)',
            [MOV0, E(0xd4, 0, 0, 0, 8), EXIT], 'invalid immediate')
    raw_err('err-invalid-bswap-width', 'bswap with width 0 is not defined', [MOV0, E(0xd7, 0, 0, 0, 0), EXIT],
            'invalid immediate')
    raw_err('err-invalid-atomic-op', 'atomic with imm 0x10 (sub is not an atomic operation)',
            [MOV0, E(0xdb, 10, 0, -8, 0x10), EXIT], 'invalid immediate')
    raw_err('err-invalid-atomic-xchg-no-fetch', 'atomic xchg without the fetch bit (imm 0xe0) is not defined',
            [MOV0, E(0xdb, 10, 0, -8, 0xe0), EXIT], 'invalid immediate')
    raw_err('err-invalid-call-src', 'call with src 3 (not helper, local or BTF id)',
            [MOV0, E(0x85, 0, 3, 0, 5), EXIT], 'invalid source')
    T('err-unknown-helper', 'call of a helper id no runner provides', ['call 0x7ffffff0', 'mov %r0, 0', 'exit'],
      error='unknown helper')
    T('err-callx-unknown-helper', 'callx with a register holding an id no runner provides fails at run time',
      ['mov %r2, 0x7ffffff0', 'callx %r2', 'mov %r0, 0', 'exit'], error='unknown helper')


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def hexbytes(mem):
    out = []
    for i in range(0, len(mem), 8):
        out.append(' '.join('%02x' % c for c in mem[i:i + 8]))
    return '\n'.join(out)


def render(t):
    lines = ['# ' + t['comment']]
    if t['asm'] is not None:
        lines += ['-- asm', t['asm']]
    else:
        lines += ['-- raw'] + ['0x%016x' % w for w in t['raw']]
    if t['mem'] is not None:
        lines += ['-- mem', hexbytes(t['mem'])]
    if t['error'] is not None:
        lines += ['-- error', t['error']]
    else:
        lines += ['-- result', '0x%x' % t['result']]
    return '\n'.join(lines) + '\n'


NUM_RE = re.compile(r'(?<![\w%+\[])-?(?:0x[0-9a-fA-F]+|\d+)\b')


def check_immediates(t):
    """Outside lddw, immediates are written within the signed 32-bit range
    (values with bit 31 set as negative decimals), so that any assembler
    that reads an immediate as an s32 takes them."""
    for ln in t['asm'].splitlines():
        if ln.startswith('lddw') or ln.endswith(':'):
            continue
        text = re.sub(r'\[[^]]*\]', '', ln.split(None, 1)[1] if ' ' in ln else '')
        for tok in NUM_RE.findall(text):
            v = int(tok, 0)
            if not -(1 << 31) <= v < (1 << 31):
                raise SystemExit('%s: immediate %s outside the s32 range in %r' % (t['name'], tok, ln))


MNEMONIC_RE = re.compile(
    r'^(add|sub|mul|div|sdiv|or|and|lsh|rsh|mod|smod|xor|mov|arsh|neg)(32)?$|^movsx|^(le|be|bswap|swap)(16|32|64)$|'
    r'^j(a|eq|gt|ge|set|ne|sgt|sge|lt|le|slt|sle)(32)?$|^(call|callx|exit|lock|lddw)$|^ldx|^st|^ld(abs|ind)')


def check_labels(t):
    """Labels never look like mnemonics, so no assembler can mistake them."""
    for ln in t['asm'].splitlines():
        if ln.endswith(':') and MNEMONIC_RE.match(ln[:-1]):
            raise SystemExit('%s: label %r looks like a mnemonic' % (t['name'], ln))


def evaluate(t):
    if t['asm'] is not None:
        check_immediates(t)
        check_labels(t)
    words = t['raw'] if t['raw'] is not None else model.assemble(t['asm'])
    kind, val, res = model.check(words, t['mem'])
    if t['error'] is not None:
        if kind != 'error':
            raise SystemExit('%s: expected an error, model gives 0x%x' % (t['name'], val))
        return words
    if kind == 'error':
        raise SystemExit('%s: model fails: %s' % (t['name'], val))
    if t['expect'] is not None and (t['expect'] & M64) != val:
        raise SystemExit('%s: hand-computed 0x%x but model gives 0x%x' % (t['name'], t['expect'] & M64, val))
    t['result'] = val
    t['steps'] = res.steps
    return words


# Every instruction of the ISA, as (opcode, selector value): the generator
# checks that each appears in at least one test that must run correctly.
def all_instructions():
    rows = set()
    for cls in (model.CLS_ALU, model.CLS_ALU64):
        for name, code in model.ALU_OPS.items():
            if name == 'end':
                continue
            if name == 'neg':
                rows.add((cls | code, None))
                continue
            for s in (0, 8):
                if name in ('div', 'mod'):
                    rows.add((cls | s | code, 0))
                    rows.add((cls | s | code, 1))
                elif name == 'mov' and s:
                    for off in ((0, 8, 16, 32) if cls == model.CLS_ALU64 else (0, 8, 16)):
                        rows.add((cls | s | code, off))
                else:
                    rows.add((cls | s | code, None))
        for w in (16, 32, 64):
            rows.add((cls | 0xd0, w))
            if cls == model.CLS_ALU:
                rows.add((cls | 0x08 | 0xd0, w))
    for cls in (model.CLS_JMP, model.CLS_JMP32):
        rows.add((cls | 0x00, None))
        for name, code in model.JMP_OPS.items():
            if name in ('ja', 'call', 'exit'):
                continue
            rows.add((cls | code, None))
            rows.add((cls | 8 | code, None))
    rows |= {(0x85, 0), (0x85, 1), (0x8d, None), (0x95, None), (0x18, None)}
    for size in (0x00, 0x08, 0x10, 0x18):
        rows |= {(0x61 | size, None), (0x62 | size, None), (0x63 | size, None)}
        if size != 0x18:
            rows |= {(0x81 | size, None), (0x20 | size, None), (0x40 | size, None)}
    for size in (0x00, 0x18):
        for imm in (0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1):
            rows.add((0xc3 | size, imm))
    return rows


def row_of(w):
    op, dst, src, off, imm = model.decode(w)
    cls = op & 7
    if cls in (model.CLS_ALU, model.CLS_ALU64):
        code = op & 0xf0
        if code == 0xd0:
            return (op, imm)
        if code == 0x80:
            return (op, None)
        if code in (0x30, 0x90) or (code == 0xb0 and op & 8):
            return (op, off)
        return (op, None)
    if op == 0x85:
        return (op, src)
    if op in (0xc3, 0xdb):
        return (op, imm)
    return (op, None)


def main():
    gen_alu_basic()
    gen_alu32_upper()
    gen_alu_edges()
    gen_movsx()
    gen_endian()
    gen_jumps()
    gen_jump_edges()
    gen_mem()
    gen_atomics()
    gen_lddw()
    gen_calls()
    gen_packet()
    gen_programs()
    gen_errors()
    covered = set()
    for t in TESTS:
        words = evaluate(t)
        if t['error'] is None:
            pc = 0
            while pc < len(words):
                covered.add(row_of(words[pc]))
                pc += 2 if words[pc] & 0xff == 0x18 else 1
    missing = all_instructions() - covered
    if missing:
        raise SystemExit('instructions without a passing test: %s' %
                         ', '.join('0x%02x/%s' % r for r in sorted(missing, key=str)))
    check_only = '--check' in sys.argv
    wanted, by_file = {}, {}
    for t in TESTS:
        wanted[t['name'] + '.data'] = render(t)
        by_file[t['name'] + '.data'] = t
    stale = sorted(f for f in os.listdir(OUT) if f.endswith('.data') and f not in wanted)
    bad = []
    for fname, text in wanted.items():
        path = os.path.join(OUT, fname)
        # parse back what we render, to be sure the file says what we meant
        parsed = datafile.parse(text)
        t = by_file[fname]
        assert parsed['result'] == t.get('result') and parsed['error'] == t['error'], fname
        assert parsed['mem'] == t['mem'] and parsed['asm'] == t['asm'] and parsed['raw'] == t['raw'], fname
        if check_only:
            if not os.path.exists(path) or open(path).read() != text:
                bad.append(fname)
        else:
            with open(path, 'w') as f:
                f.write(text)
    if check_only:
        if bad or stale:
            raise SystemExit('out of date: %s; stale: %s' % (', '.join(bad), ', '.join(stale)))
        print('%d files up to date' % len(wanted))
        return
    for f in stale:
        os.remove(os.path.join(OUT, f))
    print('wrote %d tests (%d expect a result, %d an error)%s' % (
        len(TESTS), sum(t['error'] is None for t in TESTS), sum(t['error'] is not None for t in TESTS),
        '; removed %d stale' % len(stale) if stale else ''))


if __name__ == '__main__':
    main()
