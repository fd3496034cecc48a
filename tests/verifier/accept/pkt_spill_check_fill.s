# type: xdp
# expect: accept
# A packet pointer spilled, then the check on a copy: the spilled copy (same id) gains the range too.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
*(u64 *)(r10 - 8) = r2
r4 = r2
r4 += 14
if r4 > r3 goto out
r5 = *(u64 *)(r10 - 8)
r0 = *(u8 *)(r5 + 13)
out:
r0 = 2
exit
