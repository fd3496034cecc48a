# type: xdp
# expect: reject is a scalar, not a pointer
# flags: privileged
# Context pointers spilled at fp-16 and fp-8, then an 8-byte scalar store at a variable offset in {-16,-8}: either spill may be gone.
*(u64 *)(r10 - 16) = r1
*(u64 *)(r10 - 8) = r1
r2 = *(u32 *)(r1 + 16)
r2 &= 8
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u64 *)(r3 + 0) = r4
r5 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r5 + 12)
r0 = 2
exit
