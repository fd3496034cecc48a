# type: socket_filter
# expect: reject is outside the frame [-512,0)
# An 8-byte store at fp-520.
r2 = 0
*(u64 *)(r10 - 520) = r2
r0 = 0
exit
