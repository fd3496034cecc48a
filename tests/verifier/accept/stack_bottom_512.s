# type: socket_filter
# expect: accept
# The lowest 8 bytes of the frame, fp-512, are inside it.
r2 = 7
*(u64 *)(r10 - 512) = r2
r0 = *(u64 *)(r10 - 512)
exit
