# type: cgroup_skb
# expect: accept
# A 4-byte spill of a scalar in [0,1] at an 8-aligned slot, filled with a 4-byte load.
r5 = *(u32 *)(r1 + 0)
r5 &= 1
*(u32 *)(r10 - 8) = r5
r5 = 99
r0 = *(u32 *)(r10 - 8)
exit
