# type: xdp
# expect: accept
# A packet pointer moved back by a constant after moving forward.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 20
if r4 > r3 goto out
r4 -= 6
r0 = *(u8 *)(r4 + 5)
out:
r0 = 2
exit
