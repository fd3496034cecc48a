# type: xdp
# expect: reject is beyond the checked range
# A 32-bit comparison with data_end proves nothing.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if w4 > w3 goto out
r0 = *(u8 *)(r2 + 0)
out:
r0 = 2
exit
