# type: cgroup_skb
# expect: accept
# (s8)(x & 0xff) + 128 is in [0,255]; >> 6 is in [0,3].
r2 = *(u32 *)(r1 + 0)
r2 &= 255
r0 = (s8)r2
r0 += 128
r0 >>= 6
exit
