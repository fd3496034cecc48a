# type: xdp
# expect: accept
# One path proves 20 bytes, the other 14; after the join 14 are proven: a read of byte 13.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r6 = *(u32 *)(r1 + 16)
r4 = r2
if r6 == 0 goto short
r4 += 20
if r4 > r3 goto out
goto join
short:
r4 += 14
if r4 > r3 goto out
join:
r0 = *(u8 *)(r2 + 13)
out:
r0 = 2
exit
