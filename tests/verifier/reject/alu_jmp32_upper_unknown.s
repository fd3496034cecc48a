# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# A 32-bit compare says nothing about the upper half of a 64-bit unknown.
call 5
if w0 > 3 goto big
exit
big:
r0 = 1
exit
