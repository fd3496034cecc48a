# type: xdp
# expect: reject of a pkt pointer is not allowed
# A packet pointer xor-ed.
r2 = *(u32 *)(r1 + 0)
r2 ^= 4
r0 = 2
exit
