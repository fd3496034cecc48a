# type: socket_filter
# expect: reject r4 is not initialised
# Storing a never-set register to the stack.
*(u64 *)(r10 - 8) = r4
r0 = 0
exit
