# type: socket_filter
# expect: reject is outside the frame [-512,0)
# fp-513 is below the 512-byte frame.
*(u8 *)(r10 - 513) = 1
r0 = 0
exit
