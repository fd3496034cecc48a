# type: xdp
# expect: reject pointer arithmetic on fp with a variable offset is not allowed unprivileged
# The kernel lets only CAP_PERFMON index the stack with a variable (Spectre v1): refused unprivileged.
r2 = *(u32 *)(r1 + 12)
r2 &= 7
r2 <<= 3
r3 = r10
r3 += -64
r3 += r2
r4 = 0
*(u64 *)(r3 + 0) = r4
r0 = *(u64 *)(r10 - 64)
r0 = 2
exit
