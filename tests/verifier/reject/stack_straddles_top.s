# type: socket_filter
# expect: reject is outside the frame [-512,0)
# An 8-byte store at fp-4 crosses the top of the frame.
r2 = 0
*(u64 *)(r10 - 4) = r2
r0 = 0
exit
