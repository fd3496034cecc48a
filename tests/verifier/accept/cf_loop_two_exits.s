# type: socket_filter
# expect: accept
# A loop with a data-dependent early exit and a counter exit.
r6 = *(u32 *)(r1 + 0)
r0 = 0
r2 = 0
head:
if r6 == r2 goto out
r0 += 1
r2 += 1
if r2 < 100 goto head
out:
exit
