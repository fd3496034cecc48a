# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# be16 of 1 is 0x100.
r0 = 1
r0 = be16 r0
exit
