# type: cgroup_skb
# expect: accept
# Signed division by 0 (cpu v4) is allowed too.
r0 = -7
r2 = 0
r0 s/= r2
r0 &= 1
exit
