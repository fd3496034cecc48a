# type: socket_filter
# expect: reject of a fp pointer is not allowed
# The frame pointer divided.
r2 = r10
r2 /= 2
r0 = 0
exit
