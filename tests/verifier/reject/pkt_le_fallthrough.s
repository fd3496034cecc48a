# type: xdp
# expect: reject is beyond the checked range
# if p+14 <= end goto ok; the access is on the fall-through, where p+14 > end.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 <= r3 goto ok
r0 = *(u8 *)(r2 + 0)
ok:
r0 = 2
exit
