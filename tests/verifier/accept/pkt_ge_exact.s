# type: xdp
# expect: accept
# if p+14 >= end goto out: on the fall-through p+14 < end, so 14 bytes are proven (the kernel counts 14, not 15).
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 >= r3 goto out
r0 = *(u16 *)(r2 + 12)
out:
r0 = 2
exit
