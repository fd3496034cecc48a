# type: socket_filter
# expect: reject is a scalar, not a pointer
# A scalar from a helper used as a pointer.
call 7
r0 = *(u64 *)(r0 + 0)
exit
