# type: cgroup_skb
# expect: accept
# cgroup_skb egress may return 3 (allow, with congestion notification).
r0 = 3
exit
