# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# r3 is a copy of r0 taken before r0 ^= 5; bounding r3 later says nothing about the new r0 (it is 5 when r3 is 0).
r0 = *(u32 *)(r1 + 0)
r3 = r0
r0 ^= 5
if r3 > 0 goto zero
exit
zero:
r0 = 0
exit
