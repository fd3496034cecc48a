# type: xdp
# expect: reject context access off=-4 size=4
# Before the context.
r0 = *(u32 *)(r1 - 4)
r0 = 2
exit
