# type: xdp
# expect: reject context access off=0 size=2
# xdp_md.data is a 4-byte field.
r0 = *(u16 *)(r1 + 0)
r0 = 2
exit
