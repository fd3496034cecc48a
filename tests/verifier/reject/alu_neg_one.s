# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# -1 is outside.
r0 = 1
r0 = -r0
exit
