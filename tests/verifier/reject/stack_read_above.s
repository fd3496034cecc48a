# type: socket_filter
# expect: reject is outside the frame [-512,0)
# A load at fp+8.
r0 = *(u64 *)(r10 + 8)
exit
