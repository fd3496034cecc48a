# type: cgroup_skb
# expect: accept
# A swapped unknown masked to [0,3].
call 5
r0 = bswap64 r0
r0 &= 3
exit
