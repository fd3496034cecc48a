# type: cgroup_skb
# expect: accept
# x & 3 is in [0,3].
r0 = *(u32 *)(r1 + 0)
r0 &= 3
exit
