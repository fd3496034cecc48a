# type: cgroup_skb
# expect: accept
# (x & 1) << 1 is 0 or 2.
r0 = *(u32 *)(r1 + 0)
r0 &= 1
r0 <<= 1
exit
