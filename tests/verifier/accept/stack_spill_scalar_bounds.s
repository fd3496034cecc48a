# type: cgroup_skb
# expect: accept
# A scalar in [0,3] spilled (8 bytes) and filled keeps its bounds: a valid cgroup_skb return value.
r5 = *(u32 *)(r1 + 0)
r5 &= 3
*(u64 *)(r10 - 8) = r5
r5 = 99
r0 = *(u64 *)(r10 - 8)
exit
