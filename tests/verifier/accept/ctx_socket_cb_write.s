# type: socket_filter
# expect: accept
# A socket filter stores into cb[2] and reads it back.
r2 = 9
*(u32 *)(r1 + 56) = r2
r0 = *(u32 *)(r1 + 56)
exit
