# type: cgroup_skb
# expect: reject invalid immediate
# An immediate shift by 64 is not an instruction.
r0 = 1
r0 <<= 64
exit
