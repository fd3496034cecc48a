# type: cgroup_skb
# expect: accept
# A 64-bit constant from lddw, shifted down.
r0 = 0x3000000000000000 ll
r0 >>= 60
exit
