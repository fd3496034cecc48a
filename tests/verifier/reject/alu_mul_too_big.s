# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# (x & 1) * 4 may be 4.
r0 = *(u32 *)(r1 + 0)
r0 &= 1
r0 *= 4
exit
