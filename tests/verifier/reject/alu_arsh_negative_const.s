# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# -8 s>> 1 is -4.
r0 = -8
r0 s>>= 1
exit
