# type: cgroup_skb
# expect: accept
# w0 = w2 clears the upper 32 bits of an unknown value; >> 30 stays in [0,3].
call 5
w0 = w0
r0 >>= 30
exit
