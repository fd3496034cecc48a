# type: cgroup_skb
# expect: accept
# A shift by a register in [0,255] is allowed (the result is unknown) and masked after.
r2 = *(u32 *)(r1 + 0)
r2 &= 255
r0 = 1
r0 <<= r2
r0 &= 3
exit
