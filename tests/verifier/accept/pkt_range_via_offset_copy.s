# type: xdp
# expect: accept
# A check on data+10+4 proves 14 bytes of data (same id, constant offsets): a read at 13 fits.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 10
r5 = r4
r5 += 4
if r5 > r3 goto out
r0 = *(u8 *)(r2 + 13)
r0 = *(u32 *)(r4 + 0)
out:
r0 = 2
exit
