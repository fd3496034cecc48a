# type: cgroup_skb
# expect: accept
# w0 = -1 zero-extends: r0 = 0xffffffff; >> 30 gives exactly 3.
w0 = -1
r0 >>= 30
exit
