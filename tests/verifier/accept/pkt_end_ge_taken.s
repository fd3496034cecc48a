# type: xdp
# expect: accept
# if end >= p+14 goto ok: the access is on the taken branch.
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r3 >= r4 goto ok
r0 = 1
exit
ok:
r0 = *(u16 *)(r2 + 12)
r0 = 2
exit
