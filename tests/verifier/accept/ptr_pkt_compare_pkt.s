# type: xdp
# expect: accept
# Two packet pointers compared with each other (same kind).
r2 = *(u32 *)(r1 + 0)
r3 = r2
r3 += 10
r0 = 1
if r3 > r2 goto out
r0 = 2
out:
exit
