# type: socket_filter
# expect: reject of a fp pointer is not allowed
# The frame pointer masked (alignment trick) into r2.
r2 = r10
r2 &= -16
r0 = 0
exit
