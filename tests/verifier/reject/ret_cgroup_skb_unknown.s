# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# An unknown value (skb->len) returned.
r0 = *(u32 *)(r1 + 0)
exit
