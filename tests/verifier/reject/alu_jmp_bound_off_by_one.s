# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# r0 > 4 leaves 4 possible.
r0 = *(u32 *)(r1 + 8)
if r0 > 4 goto big
exit
big:
r0 = 0
exit
