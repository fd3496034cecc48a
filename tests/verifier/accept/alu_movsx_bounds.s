# type: cgroup_skb
# expect: accept
# r0 = (s8)(x & 1) is 0 or 1 (cpu v4 movsx).
r2 = *(u32 *)(r1 + 0)
r2 &= 1
r0 = (s8)r2
exit
