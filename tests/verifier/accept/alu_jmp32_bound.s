# type: cgroup_skb
# expect: accept
# A 32-bit compare bounds a value whose upper half is known zero.
r0 = *(u32 *)(r1 + 8)
if w0 > 3 goto big
exit
big:
r0 = 1
exit
