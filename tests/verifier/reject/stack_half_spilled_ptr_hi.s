# type: xdp
# expect: reject reading part of a spilled pointer
# The upper half of a spilled packet pointer.
r2 = *(u32 *)(r1 + 0)
*(u64 *)(r10 - 16) = r2
r0 = *(u32 *)(r10 - 12)
r0 = 2
exit
