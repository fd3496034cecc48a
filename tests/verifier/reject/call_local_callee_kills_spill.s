# type: xdp
# expect: reject is a scalar, not a pointer
# The caller spills the context at fp-8 and passes fp-8 to a subprogram that stores a number there.
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call put
r2 = *(u64 *)(r10 - 8)
r0 = *(u32 *)(r2 + 12)
r0 = 2
exit
put:
r2 = 99
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
