# type: xdp
# expect: reject of a pkt pointer is not allowed
# flags: privileged
# Even privileged, shifting a packet pointer is refused.
r2 = *(u32 *)(r1 + 0)
r2 >>= 3
r0 = 2
exit
