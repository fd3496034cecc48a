# type: xdp
# expect: reject is beyond the checked range
# The check is made on a pointer with a variable offset; the access uses data itself.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r5 = *(u32 *)(r1 + 16)
r5 &= 7
r4 = r2
r4 += r5
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
