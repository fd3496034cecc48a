# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# On the taken branch of "if x & 0xfc" x is at least 4.
r0 = *(u32 *)(r1 + 0)
r0 &= 255
if r0 & 252 goto big
r0 = 0
big:
exit
