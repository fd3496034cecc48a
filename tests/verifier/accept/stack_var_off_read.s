# type: xdp
# expect: accept
# flags: privileged
# A variable offset in [-16,-8] into two initialised slots.
r2 = *(u32 *)(r1 + 12)
r2 &= 8
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u64 *)(r10 - 8) = r4
*(u64 *)(r10 - 16) = r4
r0 = *(u64 *)(r3 + 0)
r0 = 2
exit
