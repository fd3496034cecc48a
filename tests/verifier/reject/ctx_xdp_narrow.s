# type: xdp
# expect: reject context access off=12 size=1
# xdp_md fields are read whole: no narrow loads.
r0 = *(u8 *)(r1 + 12)
r0 = 2
exit
