# type: xdp
# expect: reject pointer arithmetic on pkt_end is not allowed
# data_end moved.
r3 = *(u32 *)(r1 + 4)
r3 += -4
r0 = 2
exit
