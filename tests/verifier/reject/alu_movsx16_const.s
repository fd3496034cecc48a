# type: cgroup_skb
# expect: reject is outside [0,3] allowed for cgroup_skb programs
# (s16)0x8000 is -32768.
r2 = 0x8000
r0 = (s16)r2
exit
