# type: socket_filter
# expect: accept
# Stack pointers moved by constants and used.
r2 = r10
r2 += -16
r3 = 5
*(u64 *)(r2 + 8) = r3
r2 += 8
r0 = *(u64 *)(r2 + 0)
exit
