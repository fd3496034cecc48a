# type: cgroup_skb
# expect: accept
# Division by an unknown register (maybe 0) is allowed; the result is masked.
r2 = *(u32 *)(r1 + 0)
r0 = 100
r0 /= r2
r0 &= 1
exit
