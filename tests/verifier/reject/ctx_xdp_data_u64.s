# type: xdp
# expect: reject context access off=0 size=8
# An 8-byte load of data/data_end together.
r0 = *(u64 *)(r1 + 0)
r0 = 2
exit
