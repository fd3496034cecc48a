# type: cgroup_skb
# expect: accept
# A bound learned on a copy (r3 = r0, same value) applies to r0 too, as in the kernel (scalar ids).
r0 = *(u32 *)(r1 + 0)
r3 = r0
if r3 > 3 goto zero
exit
zero:
r0 = 0
exit
