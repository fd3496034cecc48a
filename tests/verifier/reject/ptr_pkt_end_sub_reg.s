# type: xdp
# expect: reject pointer arithmetic on pkt_end is not allowed
# data_end minus a scalar register.
r3 = *(u32 *)(r1 + 4)
r4 = 14
r3 -= r4
r0 = 2
exit
