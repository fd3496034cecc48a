# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# A byte stored over a spilled scalar in [0,3]: the fill is unknown again.
r5 = *(u32 *)(r1 + 0)
r5 &= 3
*(u64 *)(r10 - 8) = r5
*(u8 *)(r10 - 1) = 1
r0 = *(u64 *)(r10 - 8)
exit
