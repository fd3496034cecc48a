# type: socket_filter
# expect: reject stack access off=0 size=1 is outside the frame [-512,0)
# fp+0 is just above the frame.
*(u8 *)(r10 + 0) = 1
r0 = 0
exit
