# type: xdp
# expect: reject pointer arithmetic on ctx
# A load through the context pointer plus a variable in {0,4}.
r2 = *(u32 *)(r1 + 12)
r2 &= 4
r1 += r2
r0 = *(u32 *)(r1 + 12)
r0 = 2
exit
