# type: xdp
# expect: reject packet access off=7 size=8 is beyond the checked range [0,14)
# An 8-byte load at off 7 with 14 bytes checked: 15 > 14.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u64 *)(r2 + 7)
out:
r0 = 2
exit
