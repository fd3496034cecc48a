# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# An arithmetic shift by 63 gives 0 or -1.
call 5
r0 s>>= 63
exit
