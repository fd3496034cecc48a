# type: cgroup_skb
# expect: accept
# After x &= 0xff, the fall-through of "if x & 0xfc" leaves x in [0,3].
r0 = *(u32 *)(r1 + 0)
r0 &= 255
if r0 & 252 goto zero
exit
zero:
r0 = 0
exit
