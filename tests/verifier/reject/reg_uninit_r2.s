# type: socket_filter
# expect: reject r2 is not initialised
# r2 is never set.
r0 = r2
exit
