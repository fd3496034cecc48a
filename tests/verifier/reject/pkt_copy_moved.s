# type: xdp
# expect: reject packet access off=20 size=1 is beyond the checked range [0,14)
# The check is made on a copy taken before the pointer moved by 10: the moved pointer at +10 needs 21 bytes.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r2 += 10
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 + 10)
out:
r0 = 2
exit
