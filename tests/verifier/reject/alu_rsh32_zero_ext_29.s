# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# 0xffffffff >> 29 is 7.
w0 = -1
r0 >>= 29
exit
