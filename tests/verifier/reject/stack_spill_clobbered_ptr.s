# type: xdp
# flags: privileged
# expect: reject is a scalar, not a pointer
# A byte stored over a spilled context pointer: the fill is a scalar, not a pointer.
*(u64 *)(r10 - 8) = r1
*(u8 *)(r10 - 8) = 0
r2 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r2 + 0)
r0 = 2
exit
