# type: cgroup_skb
# expect: accept
# Both signed limits: 0 <= r0 <= 3.
call 7
r0 <<= 32
r0 s>>= 32
if r0 s< 0 goto zero
if r0 s> 3 goto zero
exit
zero:
r0 = 0
exit
