# type: cgroup_skb
# expect: accept
# The fill gives the value spilled (1), not the register's later value (100).
r2 = 1
*(u64 *)(r10 - 8) = r2
r2 = 100
r0 = *(u64 *)(r10 - 8)
exit
