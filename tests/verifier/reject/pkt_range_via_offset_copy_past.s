# type: xdp
# expect: reject is beyond the checked range [0,14)
# The same check; a 2-byte read at 13 needs 15.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 10
r5 = r4
r5 += 4
if r5 > r3 goto out
r0 = *(u16 *)(r2 + 13)
out:
r0 = 2
exit
