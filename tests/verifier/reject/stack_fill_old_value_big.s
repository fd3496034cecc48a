# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# The fill gives the value spilled (100), not the register's later value (1).
r2 = 100
*(u64 *)(r10 - 8) = r2
r2 = 1
r0 = *(u64 *)(r10 - 8)
exit
