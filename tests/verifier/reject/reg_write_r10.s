# type: socket_filter
# expect: reject r10 is read-only
# r10 is the frame pointer.
r10 = 0
r0 = 0
exit
