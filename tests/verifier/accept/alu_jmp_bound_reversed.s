# type: cgroup_skb
# expect: accept
# The bound as the taken branch: if r0 <= 3 goto ok.
r0 = *(u32 *)(r1 + 8)
if r0 <= 3 goto ok
r0 = 1
ok:
exit
