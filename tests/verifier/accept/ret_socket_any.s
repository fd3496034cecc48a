# type: socket_filter
# expect: accept
# A socket filter returns any length.
r0 = -1
exit
