# type: xdp
# expect: reject is a scalar, not a pointer
# A spilled context pointer overwritten by an 8-byte scalar store: the fill is that scalar.
*(u64 *)(r10 - 8) = r1
r2 = 24
*(u64 *)(r10 - 8) = r2
r3 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r3 + 0)
r0 = 2
exit
