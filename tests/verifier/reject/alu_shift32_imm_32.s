# type: cgroup_skb
# expect: reject invalid immediate
# A 32-bit shift by 32.
w0 = 1
w0 >>= 32
exit
