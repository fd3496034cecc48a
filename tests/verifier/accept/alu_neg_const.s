# type: cgroup_skb
# expect: accept
# -(-3) is 3.
r0 = -3
r0 = -r0
exit
