# type: socket_filter
# expect: accept
# Stores of immediates (st) initialise the stack too.
*(u32 *)(r10 - 8) = 1
*(u32 *)(r10 - 4) = 2
r0 = *(u64 *)(r10 - 8)
r0 = 0
exit
