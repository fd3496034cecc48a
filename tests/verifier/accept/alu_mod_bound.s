# type: cgroup_skb
# expect: accept
# kernel: skip the kernel does not track bounds through div/mod (the result is an unknown scalar), so it refuses the return value
# x % 4 is in [0,3].
r0 = *(u32 *)(r1 + 0)
r0 %= 4
exit
