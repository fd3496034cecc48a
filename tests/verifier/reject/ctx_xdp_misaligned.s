# type: xdp
# expect: reject context access off=2 size=4
# A 4-byte load straddling data and data_end.
r0 = *(u32 *)(r1 + 2)
r0 = 2
exit
