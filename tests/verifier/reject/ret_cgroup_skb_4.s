# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# 4 is not a cgroup_skb verdict.
r0 = 4
exit
