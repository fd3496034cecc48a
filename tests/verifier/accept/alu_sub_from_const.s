# type: cgroup_skb
# expect: accept
# 3 - (x & 3) is in [0,3].
r2 = *(u32 *)(r1 + 0)
r2 &= 3
r0 = 3
r0 -= r2
exit
