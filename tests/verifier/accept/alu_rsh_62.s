# type: cgroup_skb
# expect: accept
# A 64-bit value shifted right by 62 is in [0,3].
call 5
r0 >>= 62
exit
