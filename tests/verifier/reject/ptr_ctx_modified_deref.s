# type: xdp
# expect: reject context access
# The context pointer moved by 12, then a field loaded at +4: the kernel refuses loads through a moved context pointer.
r1 += 12
r0 = *(u32 *)(r1 + 4)
r0 = 2
exit
