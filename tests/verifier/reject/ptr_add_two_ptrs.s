# type: xdp
# expect: reject pointer
# Adding two pointers (ctx + data).
r2 = *(u32 *)(r1 + 0)
r2 += r1
r0 = 2
exit
