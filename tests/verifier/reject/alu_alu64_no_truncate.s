# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# The same add in 64 bits is 0x100000001.
r0 = 0xffffffff ll
r0 += 2
exit
