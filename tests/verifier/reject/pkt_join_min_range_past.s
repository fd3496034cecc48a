# type: xdp
# expect: reject packet access off=14 size=1 is beyond the checked range [0,14)
# The same join; byte 14 was proven on one path only.
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
r0 = *(u8 *)(r2 + 14)
out:
r0 = 2
exit
