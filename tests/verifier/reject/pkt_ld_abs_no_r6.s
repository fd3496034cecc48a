# type: socket_filter
# expect: reject r6
# LD_ABS takes the packet from r6, which must be the context; here r6 is a number.
r6 = 0
r0 = *(u16 *)skb[12]
exit
