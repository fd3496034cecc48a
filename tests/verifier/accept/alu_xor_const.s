# type: cgroup_skb
# expect: accept
# (x & 1) ^ 3 is 2 or 3.
r0 = *(u32 *)(r1 + 0)
r0 &= 1
r0 ^= 3
exit
