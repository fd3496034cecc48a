# type: xdp
# expect: reject of a pkt pointer is not allowed
# 32-bit arithmetic on a packet pointer.
r2 = *(u32 *)(r1 + 0)
w2 += 1
r0 = 2
exit
