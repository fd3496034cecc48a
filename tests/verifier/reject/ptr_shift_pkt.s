# type: xdp
# expect: reject of a pkt pointer is not allowed
# A packet pointer shifted left.
r2 = *(u32 *)(r1 + 0)
r2 <<= 1
r0 = 2
exit
