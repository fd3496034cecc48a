# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# x & 7 may be 7.
r0 = *(u32 *)(r1 + 0)
r0 &= 7
exit
