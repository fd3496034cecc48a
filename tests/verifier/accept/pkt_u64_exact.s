# type: xdp
# expect: accept
# An 8-byte load at off 6 with 14 bytes checked: 6 + 8 == 14.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 6)
out:
r0 = 2
exit
