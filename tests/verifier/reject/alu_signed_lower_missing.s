# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# Only s> 3 is checked: negative values remain.
call 7
r0 <<= 32
r0 s>>= 32
if r0 s> 3 goto zero
exit
zero:
r0 = 0
exit
