# type: cgroup_skb
# expect: accept
# le16 keeps the low 16 bits: le16(0x30000) is 0.
r0 = 0x30000
r0 = le16 r0
exit
