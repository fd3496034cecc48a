# type: socket_filter
# expect: accept
# The highest byte of the frame, fp-1.
*(u8 *)(r10 - 1) = 3
r0 = *(u8 *)(r10 - 1)
exit
