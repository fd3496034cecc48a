# type: cgroup_skb
# expect: accept
# -(x s>> 63) is 0 or 1.
call 5
r0 s>>= 63
r0 = -r0
exit
