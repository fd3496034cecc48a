# type: xdp
# expect: reject packet access off=13 size=2 is beyond the checked range [0,14)
# if end < p+14 goto out, then a read needing 15 bytes.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r3 < r4 goto out
r0 = *(u16 *)(r2 + 13)
out:
r0 = 2
exit
