# type: xdp
# expect: accept
# The context pointer spilled and filled stays a context pointer.
*(u64 *)(r10 - 16) = r1
r1 = 0
r6 = *(u64 *)(r10 - 16)
r0 = *(u32 *)(r6 + 12)
r0 = 2
exit
