# type: cgroup_skb
# expect: accept
# A 32-bit add wraps and clears the upper half: (0xffffffff + 2) in 32 bits is 1.
r0 = 0xffffffff ll
w0 += 2
exit
