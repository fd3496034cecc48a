# type: xdp
# expect: reject is beyond the checked range
# 64 bytes checked, then the pointer moves back by a variable in [0,15]: bytes before data.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 64
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 -= r5
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
