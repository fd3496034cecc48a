# type: cgroup_skb
# expect: accept
# A compare bounds an unknown value on the fall-through path.
r0 = *(u32 *)(r1 + 8)
if r0 > 3 goto big
exit
big:
r0 = 0
exit
