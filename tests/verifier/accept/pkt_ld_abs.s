# type: socket_filter
# expect: accept
# Legacy absolute and indirect packet loads (r6 = the context).
r6 = r1
r0 = *(u16 *)skb[12]
r7 = 14
r0 = *(u8 *)skb[r7 + 9]
exit
