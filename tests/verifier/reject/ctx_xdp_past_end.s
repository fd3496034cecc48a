# type: xdp
# expect: reject context access off=24 size=4
# struct xdp_md is 24 bytes.
r0 = *(u32 *)(r1 + 24)
r0 = 2
exit
