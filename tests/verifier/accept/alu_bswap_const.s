# type: cgroup_skb
# expect: accept
# be16 of 0x0100 on a little-endian host is 1 (cpu v1 byte swap).
r0 = 0x100
r0 = be16 r0
exit
