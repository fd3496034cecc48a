# type: xdp
# expect: reject packet access off=[-4,3] size=1 is beyond the checked range
# x in [-4,3] (signed) added to data: the new pointer may lie before the packet.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 64
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 7
r5 -= 4
r2 += r5
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
