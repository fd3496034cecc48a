# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# 2 - (x & 3) may be -1.
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r0 = 2
r0 -= r2
exit
