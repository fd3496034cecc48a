# type: xdp
# expect: reject packet access off=[0,15] size=1 is beyond the checked range
# x in [0,15] is more than the 8 bytes checked: nothing is proven from data + x.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 8
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
