# type: cgroup_skb
# expect: accept
# -8 as unsigned, shifted right by 62, is 3.
r0 = -8
r0 >>= 62
exit
