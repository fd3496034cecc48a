# type: xdp
# expect: reject not allowed in xdp programs
# XDP has no legacy packet loads (LD_ABS).
r6 = r1
r0 = *(u8 *)skb[0]
r0 = 2
exit
