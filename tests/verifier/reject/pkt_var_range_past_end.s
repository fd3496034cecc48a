# type: xdp
# expect: reject packet access off=[49,64] size=1 is beyond the checked range [0,49)
# x in [0,15] added to a pointer with 64 bytes checked: 49 bytes are proven from the new pointer, not 50.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 64
if r4 > r3 goto out
r5 = *(u8 *)(r2 + 0)
r5 &= 15
r2 += r5
r0 = *(u8 *)(r2 + 48)
r0 = *(u8 *)(r2 + 49)
out:
r0 = 2
exit
