# type: socket_filter
# expect: accept
# An 8-byte store then an 8-byte load of the same slot.
r2 = 42
*(u64 *)(r10 - 8) = r2
r0 = *(u64 *)(r10 - 8)
exit
