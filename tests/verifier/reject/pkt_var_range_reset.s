# type: xdp
# expect: reject is beyond the checked range
# Adding a variable to a checked pointer gives a new pointer with no range, even though 64 bytes were checked.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 64
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
