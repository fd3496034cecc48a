# type: xdp
# expect: reject pointer arithmetic on pkt_end is not allowed
# flags: privileged
# Even privileged, data_end cannot move.
r3 = *(u32 *)(r1 + 4)
r3 += 1
r0 = 2
exit
