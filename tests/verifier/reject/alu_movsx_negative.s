# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# (s8)(x & 0xff) is in [-128,127].
r2 = *(u32 *)(r1 + 0)
r2 &= 255
r0 = (s8)r2
exit
