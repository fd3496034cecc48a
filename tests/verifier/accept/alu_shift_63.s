# type: cgroup_skb
# expect: accept
# Shifts by 63 are legal.
r0 = 1
r0 <<= 63
r0 >>= 63
exit
