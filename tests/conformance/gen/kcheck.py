#!/usr/bin/env python3
"""
kcheck.py - optional cross-check of the conformance files against the Linux
kernel (needs root and a kernel with BPF v4 instructions, 6.6 or later).

It is a second, independent oracle for the expected results: each test is
assembled with model.py, adapted to what the kernel accepts, loaded with
bpf(BPF_PROG_LOAD) and run with BPF_PROG_TEST_RUN:

  * tests with -- mem run as BPF_PROG_TYPE_SYSCALL; a prologue copies the
    context (the mem bytes) to the bottom of the stack and points r1 at the
    copy (r2 = length), because the kernel forbids arithmetic on context
    pointers and atomics on the context;
  * packet tests (ldabs/ldind) run as BPF_PROG_TYPE_SCHED_CLS with the mem
    bytes as the packet (r6 = context);
  * the kernel returns only 32 bits of r0, so a test is run twice: once as
    is, once with every exit of the main function preceded by `rsh %r0, 32`;
  * -- error tests must be refused at load.

The kernel refuses programs that our runtimes accept (unreachable code,
recursion, callx, reading uninitialised registers is refused by both); such
tests are reported as SKIP with the verifier's last words, never as FAIL.

usage: kcheck.py [-v] [FILE.data ...]   (default: all files in ..)
"""
import ctypes
import glob
import os
import re
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datafile  # noqa: E402
import model  # noqa: E402

libc = ctypes.CDLL(None, use_errno=True)
SYS_BPF = 321
BPF_PROG_LOAD, BPF_PROG_TEST_RUN = 5, 10
PT_SCHED_CLS, PT_SYSCALL = 3, 31
F_SLEEPABLE = 1 << 4


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 160)
    r = libc.syscall(SYS_BPF, cmd, buf, 160)
    return (r if r >= 0 else -ctypes.get_errno()), buf.raw


def load(words, ptype, flags):
    code = ctypes.create_string_buffer(b''.join(struct.pack('<Q', w) for w in words))
    lic = ctypes.create_string_buffer(b'GPL')
    log = ctypes.create_string_buffer(1 << 20)
    attr = struct.pack('<IIQQIIQII', ptype, len(words), ctypes.addressof(code), ctypes.addressof(lic),
                       1, len(log), ctypes.addressof(log), 0, flags)
    fd, _ = bpf(BPF_PROG_LOAD, attr)
    return fd, log.value.decode(errors='replace')


def test_run(fd, data=None, ctx=None):
    dbuf = ctypes.create_string_buffer(data or b'\0', max(len(data or b''), 1))
    dout = ctypes.create_string_buffer(4096)
    cbuf = ctypes.create_string_buffer(ctx or b'\0', max(len(ctx or b''), 1))
    attr = struct.pack('<IIIIQQIIIIQQIII', fd, 0,
                       len(data) if data else 0, len(dout) if data else 0,
                       ctypes.addressof(dbuf) if data else 0, ctypes.addressof(dout) if data else 0,
                       0, 0,
                       len(ctx) if ctx else 0, 0,
                       ctypes.addressof(cbuf) if ctx else 0, 0,
                       0, 0, 0)
    r, out = bpf(BPF_PROG_TEST_RUN, attr)
    if r < 0:
        return None, r
    return struct.unpack_from('<I', out, 4)[0], 0


def main_region_exits(asm):
    """Insert `rsh %r0, 32` before each exit of the main function (text
    before the first label that a `call local` names)."""
    lines = asm.splitlines()
    funcs = set(re.findall(r'call\s+local\s+([A-Za-z_][\w.]*)', asm))
    out, in_main = [], True
    for ln in lines:
        s = ln.split('#', 1)[0].strip()
        m = re.match(r'^([A-Za-z_][\w.]*):', s)
        if m and m.group(1) in funcs:
            in_main = False
        if in_main and s == 'exit':
            out.append('rsh %r0, 32')
        out.append(ln)
    return '\n'.join(out)


def prologue(mem):
    p = []
    for i in range(len(mem)):
        p.append('ldxb %%r3, [%%r1+%d]' % i)
        p.append('stxb [%%r10-%d], %%r3' % (512 - i))
    p += ['mov %r1, %r10', 'add %r1, -512', 'mov %%r2, %d' % len(mem)]
    return '\n'.join(p) + '\n'


def uses_numeric_offsets(asm):
    for ln in asm.splitlines():
        s = ln.split('#', 1)[0].strip()
        if (s.startswith('j') or s.startswith('call local')) and re.search(r'[\s,][+-]\d+$', s):
            return True
    return False


def is_packet(t):
    src = t['asm'] or ''
    return re.search(r'\bld(abs|ind)[bhw]\b', src) is not None


def kernel_value(asm, t):
    """Return (value, None) or (None, reason)."""
    mem = t['mem']
    packet = is_packet(t)
    if packet:
        pro = 'mov %r6, %r1\n'
        ptype, flags = PT_SCHED_CLS, 0
    else:
        pro = prologue(mem) if mem else 'mov %r1, 0\nmov %r2, 0\n'
        ptype, flags = PT_SYSCALL, F_SLEEPABLE
    words = model.assemble(pro + asm)
    fd, log = load(words, ptype, flags)
    if fd < 0:
        return None, 'refused: ' + ' | '.join(log.strip().splitlines()[-2:])
    try:
        if packet:
            v, err = test_run(fd, data=mem)
        else:
            v, err = test_run(fd, ctx=mem if mem else None)
    finally:
        os.close(fd)
    if v is None:
        return None, 'test_run failed: %d' % err
    return v, None


def check_file(path, verbose=False):
    t = datafile.parse(open(path).read())
    name = os.path.basename(path)
    if t['error'] is not None:
        try:
            words = t['raw'] if t['raw'] is not None else model.assemble(t['asm'])
        except model.AsmError as e:
            return 'PASS', 'assembler refuses: %s' % e
        fd, log = load(words, PT_SYSCALL, F_SLEEPABLE)
        if fd >= 0:
            os.close(fd)
            return 'SKIP', 'kernel accepts a program expected to fail (%s)' % t['error']
        return 'PASS', 'refused: ' + ' | '.join(log.strip().splitlines()[-1:])
    if t['raw'] is not None:
        return 'SKIP', 'raw program'
    if uses_numeric_offsets(t['asm']):
        return 'SKIP', 'numeric jump offsets'
    lo, why = kernel_value(t['asm'], t)
    if lo is None:
        return 'SKIP', why
    hi, why = kernel_value(main_region_exits(t['asm']), t)
    if hi is None:
        return 'SKIP', 'hi: ' + why
    got = (hi << 32) | lo
    if got != t['result']:
        return 'FAIL', 'kernel 0x%x, file 0x%x' % (got, t['result'])
    return 'PASS', ''


def main(argv):
    verbose = '-v' in argv
    files = [a for a in argv if a != '-v']
    if not files:
        files = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '*.data')))
    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    for f in files:
        status, why = check_file(f, verbose)
        counts[status] += 1
        if status != 'PASS' or verbose:
            print('%s %s %s' % (status, os.path.basename(f), why))
    print('kernel: %d passed, %d failed, %d skipped' % (counts['PASS'], counts['FAIL'], counts['SKIP']))
    return 1 if counts['FAIL'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
