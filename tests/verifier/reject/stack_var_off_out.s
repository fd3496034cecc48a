# type: xdp
# expect: reject is outside the frame [-512,0)
# flags: privileged
# A variable offset in [-8,0] of an 8-byte access goes past the top.
r2 = *(u32 *)(r1 + 12)
r2 &= 8
r3 = r10
r3 += -8
r3 += r2
r4 = 0
*(u64 *)(r3 + 0) = r4
r0 = 2
exit
