# type: socket_filter
# expect: accept
# flags: privileged
# Privileged: returning the context pointer is allowed.
r0 = r1
exit
