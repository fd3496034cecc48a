# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# Shifted by 61 it may be 7.
call 5
r0 >>= 61
exit
